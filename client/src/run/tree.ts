/**
 * The Executions view: this session's executions (status, duration), each expanding to its
 * history events. Selecting an event opens the state's input and output (read-only JSON,
 * asl-exec: scheme) and reveals the state in the machine; selecting an execution opens its
 * input and result.
 */
import * as vscode from 'vscode';
import { RunController, type ExecutionRecord } from './controller';
import { KEPT_EVENTS, eventById } from './eventWindow';
import { duration, eventTreeText, mapRunText } from './format';
import type { EventLike } from './overlay';

/** View id (package.json contributes.views). */
export const EXECUTIONS_VIEW = 'aslWorkbench.executions';
/** Hidden command run when a tree item is selected. */
export const SHOW_EVENT_COMMAND = 'aslWorkbench.showExecutionItem';

export type ExecutionNode =
  { kind: 'execution'; id: string } | { kind: 'event'; id: string; eventId: number } | { kind: 'earlier'; id: string };

/** Context values of execution items (package.json menus `viewItem == …`). */
const EXECUTION_CONTEXT = {
  running: 'aslExecutionRunning',
  done: 'aslExecutionDone',
  awsRunning: 'aslAwsExecutionRunning',
  /** failed, timed out or aborted on Step Functions: it can be redriven */
  awsRedrivable: 'aslAwsRedrivableExecutionDone',
  awsDone: 'aslAwsExecutionDone',
} as const;

const STATUS_ICON: Record<string, [string, string?]> = {
  RUNNING: ['sync~spin', 'charts.blue'],
  SUCCEEDED: ['pass', 'testing.iconPassed'],
  FAILED: ['error', 'testing.iconFailed'],
  TIMED_OUT: ['watch', 'testing.iconFailed'],
  ABORTED: ['circle-slash', 'disabledForeground'],
};

function eventIcon(e: EventLike): vscode.ThemeIcon {
  if (e.type.endsWith('StateEntered')) return new vscode.ThemeIcon('arrow-right');
  if (e.type.endsWith('StateExited')) return new vscode.ThemeIcon('check');
  if (/(Failed|TimedOut)$/.test(e.type))
    return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  if (/Aborted$/.test(e.type)) return new vscode.ThemeIcon('circle-slash');
  if (e.type.startsWith('Execution')) return new vscode.ThemeIcon('symbol-event');
  return new vscode.ThemeIcon('debug-stackframe-dot');
}

/** TreeDataProvider over the controller's records. */
export class ExecutionsTree implements vscode.TreeDataProvider<ExecutionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExecutionNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly runs: RunController) {
    // many events per second while a Map runs: refresh at most every 200 ms
    this.sub = runs.onDidChange(() => {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.changed.fire(undefined);
      }, 200);
    });
  }

  getChildren(node?: ExecutionNode): ExecutionNode[] {
    if (!node) return this.runs.executions.map((r) => ({ kind: 'execution', id: r.id }));
    if (node.kind !== 'execution') return [];
    const rec = this.runs.find(node.id);
    if (!rec) return [];
    const events: ExecutionNode[] = rec.events.map((e) => ({ kind: 'event', id: rec.id, eventId: e.id }));
    return rec.droppedEvents ? [{ kind: 'earlier', id: rec.id }, ...events] : events;
  }

  getParent(node: ExecutionNode): ExecutionNode | undefined {
    return node.kind === 'execution' ? undefined : { kind: 'execution', id: node.id };
  }

  getTreeItem(node: ExecutionNode): vscode.TreeItem {
    const rec = this.runs.find(node.id);
    if (!rec) return new vscode.TreeItem('(gone)');
    if (node.kind === 'execution') return executionItem(rec);
    if (node.kind === 'earlier') return earlierItem(rec);
    const e = eventById(rec.events, node.eventId);
    if (!e) return new vscode.TreeItem(`#${node.eventId}`);
    const text = eventTreeText(e);
    const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
    item.id = `${rec.id}/${e.id}`;
    item.description = `${text.detail ? `${text.detail} ` : ''}#${e.id} +${duration(Math.max(0, RunController.offsetOf(rec, e)))}`;
    item.tooltip = e.type;
    item.iconPath = eventIcon(e);
    item.contextValue = 'aslExecutionEvent';
    item.command = { command: SHOW_EVENT_COMMAND, title: 'Show input and output', arguments: [node] };
    return item;
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.sub.dispose();
    this.changed.dispose();
  }
}

/** The tree item of an execution (exported for tests that read labels). */
export function executionItem(rec: ExecutionRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(rec.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = rec.id;
  item.description = `${rec.status} · ${RunController.durationOf(rec)}${rec.mapRun ? ` · ${mapRunText(rec.mapRun)}` : ''}${rec.origin === 'aws' ? ` · ☁ ${rec.target ?? 'AWS'}` : ''}`;
  const [icon, color] = STATUS_ICON[rec.status] ?? ['circle-outline'];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  const md = new vscode.MarkdownString(
    `**${rec.label}** — ${rec.status}${rec.origin === 'aws' ? ` on ${rec.target ?? 'AWS'}` : ''}\n\n${rec.executionArn}\n\nstarted ${new Date(rec.startedAt).toLocaleTimeString()}, ${RunController.durationOf(rec)}` +
      (rec.outcome?.error ? `\n\n${rec.outcome.error}` : ''),
  );
  item.tooltip = md;
  item.contextValue = contextOf(rec);
  item.command = {
    command: SHOW_EVENT_COMMAND,
    title: 'Show input and result',
    arguments: [{ kind: 'execution', id: rec.id }],
  };
  return item;
}

function contextOf(rec: ExecutionRecord): string {
  if (rec.origin === 'local') return rec.status === 'RUNNING' ? EXECUTION_CONTEXT.running : EXECUTION_CONTEXT.done;
  if (rec.status === 'RUNNING') return EXECUTION_CONTEXT.awsRunning;
  return rec.status === 'SUCCEEDED' ? EXECUTION_CONTEXT.awsDone : EXECUTION_CONTEXT.awsRedrivable;
}

/** The item standing for the events the view no longer keeps. */
function earlierItem(rec: ExecutionRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(`${rec.droppedEvents} earlier events`, vscode.TreeItemCollapsibleState.None);
  item.id = `${rec.id}/earlier`;
  item.description = `the view keeps the newest ${KEPT_EVENTS}`;
  item.tooltip =
    rec.origin === 'aws'
      ? 'Older events are not kept in this window; the graph overlay counted them. GetExecutionHistory and the Step Functions console list them all.'
      : 'Older events are not kept in this window; the graph overlay counted them and the output channel printed them.';
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  return item;
}
