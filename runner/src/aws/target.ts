/**
 * Which Step Functions endpoint, region and profile a command talks to, resolved the way the
 * AWS CLI does: the command's own options, then the environment, then the profile's section
 * of the shared config file (~/.aws/config). Pure: the caller passes the environment and the
 * parsed config, so the CLI and the extension (settings as options) share it and tests need
 * no AWS account. Credentials are never part of it: the SDK's provider chain finds them.
 */

export interface AwsOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
}

export interface AwsTarget {
  profile?: string;
  region: string;
  endpointUrl?: string;
  /** where the region came from, for messages */
  regionSource: 'option' | 'environment' | 'shared config' | 'endpoint default';
}

/** Sections of the shared config file by profile name (`[profile x]` read as `x`). */
export type SharedProfiles = Record<string, Record<string, string | undefined> | undefined>;

/**
 * The region signed into requests to an overridden endpoint when nothing names one: local
 * endpoints (serve, emulators) accept any region. Local behaviour, not AWS's.
 */
export const ENDPOINT_DEFAULT_REGION = 'us-east-1';

const nonEmpty = (s: string | undefined): string | undefined => (s && s.trim() ? s.trim() : undefined);

/** The target, or the message saying what is missing. */
export function resolveAwsTarget(
  options: AwsOptions,
  env: Record<string, string | undefined>,
  profiles: SharedProfiles = {},
): { ok: true; value: AwsTarget } | { ok: false; error: string } {
  const profile = nonEmpty(options.profile) ?? nonEmpty(env.AWS_PROFILE);
  const section = profiles[profile ?? 'default'];
  const endpointUrl =
    nonEmpty(options.endpointUrl) ??
    nonEmpty(env.AWS_ENDPOINT_URL_SFN) ??
    nonEmpty(env.AWS_ENDPOINT_URL) ??
    nonEmpty(section?.endpoint_url);
  if (endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/i.test(endpointUrl))
    return { ok: false, error: `the endpoint URL must be an http(s) URL, not '${endpointUrl}'` };
  const fromOption = nonEmpty(options.region);
  const fromEnv = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const fromConfig = nonEmpty(section?.region);
  const region = fromOption ?? fromEnv ?? fromConfig ?? (endpointUrl ? ENDPOINT_DEFAULT_REGION : undefined);
  if (!region)
    return {
      ok: false,
      error: `no AWS region: give --region, set AWS_REGION, or set region in the ${profile ? `'${profile}'` : 'default'} profile of the shared config file`,
    };
  const regionSource = fromOption
    ? 'option'
    : fromEnv
      ? 'environment'
      : fromConfig
        ? 'shared config'
        : 'endpoint default';
  return { ok: true, value: { profile, region, endpointUrl, regionSource } };
}
