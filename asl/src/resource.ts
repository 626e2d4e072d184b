/**
 * Task `Resource` strings (reference §1): optimized integrations
 * `arn:<p>:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]`, AWS SDK integrations
 * `arn:<p>:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`, Lambda function ARNs and
 * activity ARNs. Anything else is `unknown`.
 */
import type { IntegrationPattern, ParsedResource } from './types';

/** Partitions Step Functions runs in. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;

const STATES_RE = /^arn:(aws|aws-cn|aws-us-gov):states:::([A-Za-z0-9-]+):([^\s]+)$/;
const LAMBDA_RE = /^arn:(aws|aws-cn|aws-us-gov):lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;
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

/** The resource string for a service action and pattern, e.g. ("ecs:runTask", "sync"). */
export function resourceArn(key: string, pattern: IntegrationPattern, partition = 'aws'): string {
  const suffix = pattern === 'sync' ? '.sync' : pattern === 'waitForTaskToken' ? '.waitForTaskToken' : '';
  return `arn:${partition}:states:::${key}${suffix}`;
}

/** The suffix text of a pattern ('' / '.sync' / '.waitForTaskToken'). */
export function patternSuffix(pattern: IntegrationPattern): string {
  return pattern === 'sync' ? '.sync' : pattern === 'waitForTaskToken' ? '.waitForTaskToken' : '';
}
