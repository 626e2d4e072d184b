/**
 * A stand-in for SQS in the serve service of the AWS execution tests: `.waitForTaskToken`
 * messages wait for their callback (their tokens kept in order); plain ones fail until `fixed`
 * (a failure a redrive mends).
 */
import { StatesError } from '../../../asl/src/types';
import type { DriverResult, TaskDriver, TaskInvocation } from '../../../runner/src/drivers/types';

export class StandInSqs implements TaskDriver {
  readonly name = 'stand-in-sqs';
  /** plain sendMessage succeeds once true */
  static fixed = false;
  /** the task tokens of the messages that wait for one, in the order they were sent */
  readonly tokens: string[] = [];

  canHandle(): boolean {
    return true;
  }

  async invoke(inv: TaskInvocation): Promise<DriverResult> {
    if (inv.taskToken) {
      this.tokens.push(inv.taskToken);
      return { kind: 'submitted', output: { MessageId: 'm-1' } };
    }
    if (!StandInSqs.fixed) throw new StatesError('Queue.Unavailable', 'the queue is not there yet');
    return { kind: 'done', output: { MessageId: 'm-2' } };
  }

  async disposeExecution(): Promise<void> {}
}

/** Dummy credentials for the SDK: no shared config or credentials file is read. */
export const TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIATESTNOTREAL00000',
  AWS_SECRET_ACCESS_KEY: 'not-a-secret',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
};
