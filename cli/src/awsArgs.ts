/** The options every command that talks to Step Functions takes, and the client they resolve to. */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createSfnClient, loadSharedProfiles } from '../../runner/src/aws/client';
import { resolveAwsTarget } from '../../runner/src/aws/target';

export { awsErrorText } from '../../runner/src/aws/client';

export const AWS_VALUED_OPTIONS = ['profile', 'region', 'endpoint-url'];

export const AWS_USAGE = `  --profile <name>        shared config/credentials profile (default: AWS_PROFILE, else default)
  --region <region>       AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, else the profile's)
  --endpoint-url <url>    another Step Functions-compatible endpoint, such as asl-workbench serve
                          (default: AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL, else the profile's)
  Credentials come from the standard AWS chain (environment, profile, SSO, container or
  instance role); they are never printed or stored.`;

/** The client for the command's options, or the message saying why there is none. */
export function clientFor(o: Record<string, string | undefined>): { client: SFNClient } | { error: string } {
  // On Node < 22 the SDK warns that its releases after January 2027 need Node 22. The CLI
  // carries its own bundled copy of the SDK, so the warning is about our bundle, not about
  // anything the user can change; it stays silent unless the user set the SDK's switch.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const target = resolveAwsTarget(
    { profile: o.profile, region: o.region, endpointUrl: o['endpoint-url'] },
    process.env,
    loadSharedProfiles(process.env),
  );
  if (!target.ok) return { error: target.error };
  return { client: createSfnClient(target.value) };
}
