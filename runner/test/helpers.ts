/** Test helpers for runner tests: a scriptable driver, JSON 1.0 calls (also with a chosen Host header), the AWS CLI. */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { DriverResult, TaskDriver, TaskInvocation } from '../src/drivers/types';

/** A driver whose behaviour per invocation is a function; records invocations and disposals. */
export class FakeDriver implements TaskDriver {
  readonly name = 'fake';
  readonly invocations: TaskInvocation[] = [];
  readonly disposed: string[] = [];
  constructor(private readonly behave: (inv: TaskInvocation) => Promise<DriverResult>) {}
  canHandle(): boolean {
    return true;
  }
  invoke(inv: TaskInvocation): Promise<DriverResult> {
    this.invocations.push(inv);
    return this.behave(inv);
  }
  async disposeExecution(arn: string): Promise<void> {
    this.disposed.push(arn);
  }
}

/** POSTs one AWS JSON 1.0 call. */
export async function sfnCall(
  url: string,
  op: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${op}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** A promise that never settles until the signal aborts, then rejects. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Error('aborted'));
    signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
}

/** Runs `aws stepfunctions <args>` against a local endpoint with dummy credentials; never rejects. */
export function aws(url: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/aws',
      ['stepfunctions', ...args, '--endpoint-url', url, '--output', 'json'],
      {
        env: {
          PATH: '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_PAGER: '',
        },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * One HTTP request with exactly these headers (fetch does not let a caller set `Host`); an
 * AWS JSON 1.0 call when `op` is given. Resolves with the status, the headers and the body text.
 */
export function rawRequest(
  url: string,
  opts: { method?: string; op?: string; host?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.op) {
    headers['Content-Type'] = 'application/x-amz-json-1.0';
    headers['X-Amz-Target'] = `AWSStepFunctions.${opts.op}`;
  }
  // host '' sends no Host header at all
  if (opts.host) headers.Host = opts.host;
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port,
        path: '/',
        method: opts.method ?? 'POST',
        headers,
        agent: false,
        setHost: opts.host !== '',
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
