/**
 * Task tokens for `.waitForTaskToken` and `.sync` tasks (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html). Tokens are
 * unguessable (48 random bytes, base64url) and new for every attempt; the registry remembers
 * closed tokens so late callbacks get AWS's TaskTimedOut / TaskDoesNotExist answers.
 */
import { randomBytes } from 'node:crypto';
import { PAYLOAD_LIMIT } from '../../../asl/src/quotas';

/** What the interpreter does when a callback arrives for a live token. */
export interface TokenHandlers {
  success(outputText: string): void;
  failure(error: string | undefined, cause: string | undefined): void;
  heartbeat(): void;
}

/** An AWS error answer: the short shape name (InvalidToken, TaskTimedOut...) and a message. */
export interface CallbackError {
  type: 'InvalidToken' | 'TaskDoesNotExist' | 'TaskTimedOut' | 'InvalidOutput' | 'ValidationException';
  message: string;
}

/**
 * The answer for a payload over 256 KiB. The Step Functions API reference gives `input` and
 * `output` a maximum length of 262,144 (bytes of UTF-8), and AWS answers a length-constraint
 * violation with a ValidationException in this wording before the operation runs.
 */
export function payloadTooLarge(field: 'input' | 'output', bytes: number): CallbackError {
  return {
    type: 'ValidationException',
    message: `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${PAYLOAD_LIMIT} (it is ${bytes} bytes of UTF-8)`,
  };
}

const TOKEN_RE = /^[A-Za-z0-9_-]{64}$/;

/** The answer for a token no task of this registry (or of this listener) holds: InvalidToken. */
export function unknownTokenError(token: unknown): CallbackError {
  if (typeof token !== 'string' || token.length < 1 || token.length > 2048) {
    return { type: 'InvalidToken', message: 'Invalid Token: the task token must be a string of 1 to 2048 characters' };
  }
  if (!TOKEN_RE.test(token)) return { type: 'InvalidToken', message: `Invalid Token: '${token.slice(0, 64)}'` };
  return { type: 'InvalidToken', message: 'Invalid Token: no task is waiting for this token' };
}

/** closed tokens remembered for late callbacks (bounded) */
const CLOSED_LIMIT = 10000;

/** Issues tokens and routes SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat to them. */
export class TaskTokenRegistry {
  private readonly open = new Map<string, TokenHandlers>();
  private readonly closed = new Map<string, 'timedout' | 'done'>();

  /** Creates a token bound to `handlers` until `close` is called. */
  issue(handlers: TokenHandlers): string {
    const token = randomBytes(48).toString('base64url');
    this.open.set(token, handlers);
    return token;
  }

  /** Ends a token; `timedout` makes later callbacks answer TaskTimedOut. */
  close(token: string, reason: 'timedout' | 'done'): void {
    if (!this.open.delete(token)) return;
    this.closed.set(token, reason);
    if (this.closed.size > CLOSED_LIMIT) this.closed.delete(this.closed.keys().next().value as string);
  }

  private find(token: unknown): TokenHandlers | CallbackError {
    const h = typeof token === 'string' ? this.open.get(token) : undefined;
    if (h) return h;
    const c = typeof token === 'string' ? this.closed.get(token) : undefined;
    if (c === 'timedout') return { type: 'TaskTimedOut', message: 'Task Timed Out' };
    if (c === 'done') return { type: 'TaskDoesNotExist', message: 'Task does not exist anymore' };
    return unknownTokenError(token);
  }

  /** SendTaskSuccess: `output` must be a JSON text (else InvalidOutput) of at most 256 KiB (else ValidationException), refused at the call. */
  sendSuccess(token: unknown, output: unknown): CallbackError | undefined {
    const h = this.find(token);
    if ('type' in h) return h;
    if (typeof output !== 'string') return { type: 'InvalidOutput', message: 'Invalid Output: output is required' };
    const bytes = Buffer.byteLength(output, 'utf8');
    if (bytes > PAYLOAD_LIMIT) return payloadTooLarge('output', bytes);
    try {
      JSON.parse(output);
    } catch {
      return { type: 'InvalidOutput', message: 'Invalid Output: the output is not valid JSON' };
    }
    this.close(token as string, 'done');
    h.success(output);
    return undefined;
  }

  /** SendTaskFailure: error and cause are optional (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html). */
  sendFailure(token: unknown, error: unknown, cause: unknown): CallbackError | undefined {
    const h = this.find(token);
    if ('type' in h) return h;
    this.close(token as string, 'done');
    h.failure(typeof error === 'string' ? error : undefined, typeof cause === 'string' ? cause : undefined);
    return undefined;
  }

  /** SendTaskHeartbeat: resets the heartbeat clock; records no history event. */
  sendHeartbeat(token: unknown): CallbackError | undefined {
    const h = this.find(token);
    if ('type' in h) return h;
    h.heartbeat();
    return undefined;
  }

  /** Number of live tokens (tests wait for one to appear). */
  get size(): number {
    return this.open.size;
  }

  /** The newest live token (tests and `serve` tooling). */
  latest(): string | undefined {
    let last: string | undefined;
    for (const k of this.open.keys()) last = k;
    return last;
  }
}
