/**
 * Task `Resource` strings (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html): optimized integrations
 * `arn:<p>:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]`, AWS SDK integrations
 * `arn:<p>:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`, Lambda function ARNs and
 * activity ARNs. Anything else is `unknown`.
 */
import type { IntegrationPattern, ParsedResource } from './types';

/** Partitions Step Functions runs in. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;

/**
 * The partition may be a placeholder (`arn:${AWS::Partition}:states:::ecs:runTask.sync` in
 * a template): the integration is still known from the literal service and action.
 */
const STATES_RE = /^arn:(aws|aws-cn|aws-us-gov|\$\{[^${}\s]+\}):states:::([A-Za-z0-9-]+):([^\s]+)$/;
/** Lambda function name (1–64 characters) and qualifier: `$LATEST`, a version number or an alias (1–128). */
const LAMBDA_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const LAMBDA_QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;
const LAMBDA_RE =
  /^arn:(aws|aws-cn|aws-us-gov):lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
/** Anything shaped like a Lambda function ARN, valid or not. */
const LAMBDA_LIKE_RE = /^arn:[^:]*:lambda:[^:]*:[^:]*:function:/;
const ACTIVITY_RE = /^arn:(aws|aws-cn|aws-us-gov):states:[a-z0-9-]+:\d{12}:activity:[^\s]+$/;

/** Splits a trailing pattern suffix off an action ("runTask.sync" -> ["runTask", "sync"]). */
function splitPattern(action: string): { action: string; pattern: IntegrationPattern; suffix?: string } {
  // `.sync:2` is the "version 2" sync form some services use (e.g. StartExecution); it is
  // still the Run a Job pattern.
  const m = /^(.*?)\.(sync(?::2)?|waitForTaskToken)$/.exec(action);
  if (!m) return { action, pattern: 'requestResponse' };
  return { action: m[1], pattern: m[2] === 'waitForTaskToken' ? 'waitForTaskToken' : 'sync', suffix: m[2] };
}

/** Parses a Resource string; never throws. */
export function parseResource(raw: string): ParsedResource {
  const text = typeof raw === 'string' ? raw : '';
  const s = STATES_RE.exec(text);
  if (s) {
    const partition = s[1];
    if (s[2] === 'aws-sdk') {
      const rest = s[3];
      const colon = rest.indexOf(':');
      if (colon > 0 && colon < rest.length - 1) {
        const service = rest.slice(0, colon);
        const { action, pattern } = splitPattern(rest.slice(colon + 1));
        if (action && /^[A-Za-z0-9]+$/.test(service))
          return { raw: text, kind: 'sdk', partition, service, action, pattern };
      }
      return { raw: text, kind: 'unknown', partition, pattern: 'requestResponse' };
    }
    const service = s[2];
    const { action, pattern } = splitPattern(s[3]);
    if (action && !action.includes(':')) {
      return { raw: text, kind: 'optimized', partition, service, action, pattern, key: `${service}:${action}` };
    }
    return { raw: text, kind: 'unknown', partition, pattern: 'requestResponse' };
  }
  const l = LAMBDA_RE.exec(text);
  if (l) return { raw: text, kind: 'lambda', partition: l[1], service: 'lambda', pattern: 'requestResponse' };
  const a = ACTIVITY_RE.exec(text);
  if (a) return { raw: text, kind: 'activity', partition: a[1], service: 'states', pattern: 'requestResponse' };
  const p = /^arn:([^:]*):/.exec(text);
  return { raw: text, kind: 'unknown', partition: p && p[1] ? p[1] : undefined, pattern: 'requestResponse' };
}

export interface LambdaArnProblem {
  /** range inside the ARN */
  offset: number;
  length: number;
  message: string;
  /** the corrected ARN, when there is an obvious one */
  fix?: string;
}

/**
 * What is wrong with a Lambda function ARN (function name, qualifier, region, account), with
 * its range inside the string; undefined when `raw` is a valid Lambda ARN or not a Lambda ARN
 * at all. Strings holding a `${…}` placeholder are not judged: the deployment completes them.
 */
export function lambdaArnProblem(raw: string): LambdaArnProblem | undefined {
  const head = LAMBDA_LIKE_RE.exec(raw);
  if (!head || LAMBDA_RE.test(raw) || raw.includes('${')) return undefined;
  const start = head[0].length;
  const parts = raw.slice(start).split(':');
  const name = parts[0];
  if (!LAMBDA_NAME.test(name))
    return {
      offset: start,
      length: name.length,
      message: `'${name}' is not a Lambda function name: 1 to 64 letters, digits, '-' or '_'.`,
    };
  const qStart = start + name.length + 1;
  if (parts.length > 2)
    return {
      offset: qStart,
      length: raw.length - qStart,
      message: 'A Lambda function ARN takes at most one qualifier (a version or an alias) after the name.',
    };
  if (parts.length === 2) {
    const q = parts[1];
    if (!q)
      return {
        offset: qStart - 1,
        length: 1,
        message:
          "The function ARN ends with ':' but names no qualifier: remove the ':' or add a version number, $LATEST or an alias.",
        fix: raw.slice(0, -1),
      };
    if (!LAMBDA_QUALIFIER.test(q))
      return {
        offset: qStart,
        length: q.length,
        message: `'${q}' is neither a version (a number or $LATEST) nor an alias name (1 to 128 letters, digits, '-' or '_').`,
        // '$' only ever starts $LATEST
        fix: q.startsWith('$') ? raw.slice(0, qStart) + '$LATEST' : undefined,
      };
  }
  return {
    offset: 0,
    length: raw.length,
    message:
      'A Lambda function ARN is arn:<aws|aws-cn|aws-us-gov>:lambda:<region>:<12-digit account>:function:<name>[:<version or alias>].',
  };
}

/** The suffix text of a pattern ('' / '.sync' / '.waitForTaskToken'). */
export function patternSuffix(pattern: IntegrationPattern): string {
  return pattern === 'sync' ? '.sync' : pattern === 'waitForTaskToken' ? '.waitForTaskToken' : '';
}
