/** The options every command that talks to Step Functions takes, and the client they resolve to. */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createSfnClient, loadSharedProfiles } from '../../runner/src/aws/client';
import { resolveAwsTarget } from '../../runner/src/aws/target';

export const AWS_VALUED_OPTIONS = ['profile', 'region', 'endpoint-url'];

export const AWS_USAGE = `  --profile <name>        shared config/credentials profile (default: AWS_PROFILE, else default)
  --region <region>       AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, else the profile's)
  --endpoint-url <url>    another Step Functions-compatible endpoint, such as asl-workbench serve
                          (default: AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL, else the profile's)
  Credentials come from the standard AWS chain (environment, profile, SSO, container or
  instance role); they are never printed or stored.`;

/** The client for the command's options, or the message saying why there is none. */
export function clientFor(o: Record<string, string | undefined>): { client: SFNClient } | { error: string } {
  const target = resolveAwsTarget(
    { profile: o.profile, region: o.region, endpointUrl: o['endpoint-url'] },
    process.env,
    loadSharedProfiles(process.env),
  );
  if (!target.ok) return { error: target.error };
  return { client: createSfnClient(target.value) };
}

/** An SDK error as one line: its name and message (never the request, which carries the signature). */
export function awsErrorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
