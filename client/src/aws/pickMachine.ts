/**
 * When the state machine of a document is not found on the target: the message that offers to
 * deploy it, or to choose one of the target's state machines (ListStateMachines) to go on with.
 */
import * as vscode from 'vscode';
import { listStateMachines } from '../../../runner/src/aws/client';
import { DEPLOY_COMMAND } from '../run/codeLens';
import { describeTarget, sfnClientFor, showAwsError } from './settings';

const DEPLOY_CHOICE = 'Deploy to AWS';
const CHOOSE_CHOICE = 'Choose a State Machine…';

/**
 * Shows the message (not awaited by the caller: its command returns while the message is up);
 * a state machine chosen from the list is handed to `proceed`.
 */
export async function offerStateMachine(
  uri: vscode.Uri,
  name: string,
  where: string,
  action: string,
  proceed: (stateMachineArn: string) => unknown,
): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    `No state machine named ${name} in ${where}: deploy it first, or choose one of its state machines.`,
    DEPLOY_CHOICE,
    CHOOSE_CHOICE,
  );
  if (choice === DEPLOY_CHOICE) await vscode.commands.executeCommand(DEPLOY_COMMAND, uri);
  else if (choice === CHOOSE_CHOICE) {
    const arn = await pickStateMachine(uri, action);
    if (arn) await proceed(arn);
  }
}

/** A quick pick of the target's state machines; the ARN of the one chosen. */
async function pickStateMachine(uri: vscode.Uri, action: string): Promise<string | undefined> {
  const sfn = await sfnClientFor(uri);
  if (!sfn) return undefined;
  const where = describeTarget(sfn.target);
  try {
    const list = await listStateMachines(sfn.client);
    if (!list.length) {
      void vscode.window.showInformationMessage(`${where} has no state machines.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      list.map((m) => ({
        label: m.name ?? '',
        description: `${m.type ?? ''} · created ${m.creationDate?.toLocaleString() ?? ''}`,
        detail: m.stateMachineArn,
        arn: m.stateMachineArn!,
      })),
      { title: `State machines in ${where}`, placeHolder: `${action}: which state machine?`, matchOnDetail: true },
    );
    return pick?.arn;
  } catch (e) {
    void showAwsError(action, e);
    return undefined;
  } finally {
    sfn.client.destroy();
  }
}
