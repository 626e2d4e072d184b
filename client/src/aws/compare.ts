/**
 * Compare Local and AWS Runs (`aslWorkbench.compareRuns`: the Executions view's context menu and
 * the palette): a local run and an AWS execution of the same machine, each as its normalized
 * text (compareText.ts) in a read-only document, side by side in VS Code's diff editor.
 */
import * as vscode from 'vscode';
import { awsErrorText, watchExecution } from '../../../runner/src/aws/client';
import type { ExecutionOrigin as Origin, ExecutionRecord, RunController } from '../run/controller';
import type { EventLike } from '../run/overlay';
import type { ExecutionNode } from '../run/tree';
import { requireTrust } from '../trust';
import { normalizedRunText } from './compareText';
import { sfnClientFor } from './settings';

export const COMPARE_COMMAND = 'aslWorkbench.compareRuns';
const COMPARE_SCHEME = 'asl-compare';

/** The texts shown in the diff editor, by document uri. */
class CompareContent implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private counter = 0;

  /** A new read-only document showing `text` (named `<side>/<machine>`). */
  add(side: string, machine: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${++this.counter}/${side}/${machine}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

/**
 * The whole history of an ended execution: the record's events when it kept them all, else
 * (the view keeps the newest events only) an AWS execution's read again with
 * GetExecutionHistory; a local run's are gone with its worker.
 */
async function fullHistory(rec: ExecutionRecord): Promise<readonly EventLike[] | undefined> {
  if (!rec.droppedEvents) return rec.events;
  if (rec.origin === 'local') {
    void vscode.window.showInformationMessage(
      `${rec.label} kept only its newest ${rec.events.length} events: its whole history cannot be compared.`,
    );
    return undefined;
  }
  const aws = await sfnClientFor(rec.uri);
  if (!aws) return undefined;
  const read: EventLike[] = [];
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading the history of ${rec.label}…` },
      () =>
        // the execution has ended: the first round reads every page and the watch returns
        watchExecution(aws.client, rec.executionArn, {
          onEvents: (batch) => read.push(...(batch as unknown as EventLike[])),
        }),
    );
    return read;
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not read the history of ${rec.label}: ${awsErrorText(e)}`);
    return undefined;
  } finally {
    aws.client.destroy();
  }
}

type RecordItem = vscode.QuickPickItem & { rec: ExecutionRecord };

async function pickRecord(records: readonly ExecutionRecord[], title: string): Promise<ExecutionRecord | undefined> {
  if (records.length === 1) return records[0];
  const items: RecordItem[] = records.map((rec) => ({
    label: rec.label,
    description: `${rec.status} · ${new Date(rec.startedAt).toLocaleTimeString()}`,
    detail: vscode.workspace.asRelativePath(rec.uri.with({ fragment: '' })),
    rec,
  }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Which execution?' }))?.rec;
}

const sameMachine = (a: ExecutionRecord, b: ExecutionRecord): boolean => a.uri.toString() === b.uri.toString();

async function compare(runs: RunController, content: CompareContent, node?: ExecutionNode): Promise<void> {
  // it may read an execution's history from the endpoint of the settings
  if (!vscode.workspace.isTrusted) return void requireTrust('Compare Local and AWS Runs');
  const all = runs.executions;
  const ofOrigin = (o: Origin, like?: ExecutionRecord): ExecutionRecord[] => {
    const same = all.filter((r) => r.origin === o && (!like || sameMachine(r, like)));
    // an AWS execution opened from the service may not name the file: then any of that origin
    return same.length || !like ? same : all.filter((r) => r.origin === o);
  };
  const first = node ? runs.find(node.id) : await pickRecord(ofOrigin('local'), 'Compare: the local run');
  if (!first) {
    if (!node) void vscode.window.showInformationMessage('Run the state machine locally first, then compare.');
    return;
  }
  const other: Origin = first.origin === 'local' ? 'aws' : 'local';
  const candidates = ofOrigin(other, first);
  if (!candidates.length) {
    void vscode.window.showInformationMessage(
      other === 'aws'
        ? 'No AWS execution to compare with: start the state machine on AWS first.'
        : 'No local run to compare with: run the state machine locally first.',
    );
    return;
  }
  const second = await pickRecord(
    candidates,
    `Compare ${first.label} with the ${other === 'aws' ? 'AWS execution' : 'local run'}`,
  );
  if (!second) return;
  const [local, cloud] = first.origin === 'local' ? [first, second] : [second, first];
  const running = [local, cloud].find((r) => r.status === 'RUNNING');
  if (running) {
    void vscode.window.showInformationMessage(`${running.label} is still running: compare it once it has ended.`);
    return;
  }
  const [localEvents, cloudEvents] = await Promise.all([fullHistory(local), fullHistory(cloud)]);
  if (!localEvents || !cloudEvents) return;
  const machine = local.label;
  const left = content.add('local', `${machine}.txt`, normalizedRunText(localEvents));
  const right = content.add('aws', `${machine}.txt`, normalizedRunText(cloudEvents));
  await vscode.commands.executeCommand('vscode.diff', left, right, `Local ↔ AWS: ${machine}`, { preview: true });
}

/** Registers the command and its documents. */
export function registerCompareRuns(context: vscode.ExtensionContext, runs: RunController): void {
  const content = new CompareContent();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, content),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === COMPARE_SCHEME) content.forget(d.uri);
    }),
    vscode.commands.registerCommand(COMPARE_COMMAND, (node?: ExecutionNode) => compare(runs, content, node)),
  );
}
