/**
 * Send Task Success / Send Task Failure: answers a `.waitForTaskToken` task of a running
 * execution on Step Functions from VS Code, with the token read from the task's TaskScheduled
 * parameters (client/src/aws/waiting.ts) or, where the machine hides it, pasted by the user.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import * as vscode from 'vscode';
import { formatOf } from '../../../asl/src/parse/format';
import { parseDocument } from '../../../asl/src/parse/index';
import { sendTaskFailure, sendTaskSuccess } from '../../../runner/src/aws/client';
import { nodeValue } from '../../../asl/src/parse/tree';
import type { ExecutionRecord, RunController } from '../run/controller';
import { validJson } from '../run/prepare';
import type { ExecutionNode } from '../run/tree';
import { requireTrust } from '../trust';
import type { CloudRecord } from './commands';
import { sfnClientFor, showAwsError } from './settings';
import { tokenOf, type WaitingTask } from './waiting';

export const SEND_SUCCESS_COMMAND = 'aslWorkbench.sendTaskSuccess';
export const SEND_FAILURE_COMMAND = 'aslWorkbench.sendTaskFailure';

/** Argument of the commands besides a tree node: what is given is not asked. */
export interface SendTaskArgs {
  executionId: string;
  /** the waiting task's state (default: the only one, else asked) */
  state?: string;
  /** SendTaskSuccess: the task's output as JSON text */
  output?: string;
  /** SendTaskFailure */
  error?: string;
  cause?: string;
}

type RecordOf = (
  arg: ExecutionNode | string | undefined,
  filter: (r: ExecutionRecord) => boolean,
  none: string,
  placeHolder: string,
) => Promise<ExecutionRecord | undefined>;

/** The machine definition as an object (JSON or YAML text), for reading where the token goes. */
function machineObject(text: string | undefined, file: string): unknown {
  if (!text) return undefined;
  try {
    return nodeValue(parseDocument(text, formatOf(file)).root);
  } catch {
    return undefined;
  }
}

export function registerTaskCallbacks(
  context: vscode.ExtensionContext,
  controller: RunController,
  cloudOf: (id: string) => CloudRecord | undefined,
  recordOf: RecordOf,
): void {
  const waitingIn = (r: ExecutionRecord): WaitingTask[] =>
    r.origin === 'aws' && r.status === 'RUNNING' ? (cloudOf(r.id)?.cloud.waiting.list() ?? []) : [];

  /** The record, its waiting task and the task's token; undefined when cancelled or there is none. */
  const pickTask = async (
    arg: ExecutionNode | SendTaskArgs | undefined,
    action: string,
  ): Promise<{ rec: ExecutionRecord; task: WaitingTask; token: string } | undefined> => {
    const given = arg && 'executionId' in arg ? arg : undefined;
    const rec = await recordOf(
      given ? given.executionId : (arg as ExecutionNode | undefined),
      (r) => waitingIn(r).length > 0,
      'No execution on AWS in the view waits for a task token.',
      `${action}: which execution?`,
    );
    if (!rec) {
      if (given) void vscode.window.showInformationMessage(`Execution ${given.executionId} waits for no task token.`);
      return undefined;
    }
    const tasks = waitingIn(rec).filter((t) => !given?.state || t.state === given.state);
    let task = tasks.length === 1 ? tasks[0] : undefined;
    if (!task && tasks.length > 1) {
      const pick = await vscode.window.showQuickPick(
        tasks.map((t) => ({ label: t.state, description: `${t.resourceType}:${t.resource} · #${t.eventId}`, t })),
        { placeHolder: `${action}: which waiting task?` },
      );
      task = pick?.t;
    }
    if (!task) return undefined;
    const token =
      tokenOf(task, machineObject(cloudOf(rec.id)?.definition, rec.uri.fsPath)) ??
      (await vscode.window.showInputBox({
        title: `${action}: task token of ${task.state}`,
        prompt: 'The machine does not pass $$.Task.Token as a whole parameter value: paste the token.',
        ignoreFocusOut: true,
      }));
    return token ? { rec, task, token } : undefined;
  };

  /** The request of one command: asks what it needs of the user; undefined when cancelled. */
  type Prepare = (token: string, task: WaitingTask) => Promise<((c: SFNClient) => Promise<void>) | undefined>;

  const send = async (action: string, arg: ExecutionNode | SendTaskArgs | undefined, prepare: Prepare) => {
    if (!(await requireTrust(action))) return false;
    const picked = await pickTask(arg, action);
    if (!picked) return false;
    const request = await prepare(picked.token, picked.task);
    if (!request) return false;
    const sfn = await sfnClientFor(picked.rec.uri);
    if (!sfn) return false;
    try {
      await request(sfn.client);
      controller.output.appendLine(`  ${action} sent to ${picked.task.state} (execution ${picked.rec.id})`);
      return true;
    } catch (e) {
      void showAwsError(action, e);
      return false;
    } finally {
      sfn.client.destroy();
    }
  };

  const success = (arg?: ExecutionNode | SendTaskArgs): Promise<boolean> =>
    send('Send Task Success', arg, async (token, task) => {
      const given = arg && 'executionId' in arg ? arg.output : undefined;
      const output =
        given ??
        (await vscode.window.showInputBox({
          title: `Send Task Success to ${task.state}: the task's output (JSON)`,
          value: '{}',
          validateInput: validJson,
          ignoreFocusOut: true,
        }));
      if (output === undefined) return undefined;
      return (c) => sendTaskSuccess(c, token, output);
    });

  const failure = (arg?: ExecutionNode | SendTaskArgs): Promise<boolean> =>
    send('Send Task Failure', arg, async (token, task) => {
      const args = arg && 'executionId' in arg ? arg : undefined;
      const error =
        args?.error ??
        (await vscode.window.showInputBox({
          title: `Send Task Failure to ${task.state}: error name`,
          value: 'TaskFailed',
          ignoreFocusOut: true,
        }));
      if (error === undefined) return undefined;
      const cause =
        args?.cause ??
        (await vscode.window.showInputBox({
          title: `Send Task Failure to ${task.state}: cause`,
          ignoreFocusOut: true,
        }));
      if (cause === undefined) return undefined;
      return (c) => sendTaskFailure(c, token, error || undefined, cause || undefined);
    });

  context.subscriptions.push(
    vscode.commands.registerCommand(SEND_SUCCESS_COMMAND, success),
    vscode.commands.registerCommand(SEND_FAILURE_COMMAND, failure),
  );
}
