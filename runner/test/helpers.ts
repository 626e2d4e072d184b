/** Test helpers for runner tests: a scriptable driver, waiting with a deadline, JSON 1.0 calls, the AWS CLI. */
import { execFile } from 'node:child_process';
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

/** Resolves when `cond()` is truthy; rejects after `ms`. Polls on timers, never a fixed sleep. */
export async function waitFor<T>(cond: () => T | undefined | false | Promise<T | undefined | false>, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** POSTs one AWS JSON 1.0 call. */
export async function sfnCall(url: string, op: string, body: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
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
      { env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}
