/**
 * The executions of this window: starts each in a worker process, prints its events and logs
 * to the "ASL Workbench: Executions" output channel, keeps the history for the Executions
 * view, shows a progress notification (its Cancel button stops the run) and a status bar
 * Stop item, and feeds the graph preview's live overlay.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import type { GraphNode, GraphOverlay } from '../../../asl/src/graph/types';
import type { WorkerRunOptions } from '../../../runner/src/workerProtocol';
import { WorkerExecution, type ExecutionOutcome } from './execution';
import { clock, duration, eventLine, eventSummary, logLine, timeOf } from './format';
import { OverlayTracker, eventDetails, type EventLike } from './overlay';

/** Where the overlay goes (the graph preview's API, or a stand-in). */
export interface OverlaySink {
  show(uri: vscode.Uri): Promise<void>;
  applyOverlay(uri: vscode.Uri, overlay: GraphOverlay): void;
}

export type ExecutionStatus = 'RUNNING' | ExecutionOutcome['status'];

/** One execution of this session. */
export interface ExecutionRecord {
  /** short id of this session's execution (also the asl-exec: URI's first segment) */
  readonly id: string;
  readonly executionArn: string;
  readonly uri: vscode.Uri;
  readonly label: string;
  readonly input: unknown;
  readonly testCase?: string;
  readonly startedAt: number;
  endedAt?: number;
  status: ExecutionStatus;
  readonly events: EventLike[];
  outcome?: ExecutionOutcome;
  readonly tracker: OverlayTracker;
  /** the state currently running (for the progress message) */
  current?: string;
  readonly done: Promise<ExecutionOutcome>;
}

export interface StartRequest {
  uri: vscode.Uri;
  definition: object | string;
  input: unknown;
  options: WorkerRunOptions;
  testCase?: string;
  graph?: readonly GraphNode[];
  documentVersion?: number;
  env?: NodeJS.ProcessEnv;
}

const OVERLAY_INTERVAL_MS = 100;
const OUTPUT_MIRROR_LINES = 5000;

export class RunController implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  private readonly records: ExecutionRecord[] = [];
  private readonly workers = new Map<string, WorkerExecution>();
  private readonly changed = new vscode.EventEmitter<ExecutionRecord | undefined>();
  private readonly overlayed = new vscode.EventEmitter<{ uri: vscode.Uri; overlay: GraphOverlay }>();
  private readonly mirror: string[] = [];
  private readonly statusItem: vscode.StatusBarItem;
  private readonly lastOverlays = new Map<string, GraphOverlay>();
  private readonly overlaySchedulers = new Map<string, () => void>();
  private counter = 0;

  /** fires when an execution starts, changes status or receives events */
  readonly onDidChange = this.changed.event;
  /** fires after an overlay was sent to the graph preview */
  readonly onDidOverlay = this.overlayed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly sink: OverlaySink,
  ) {
    this.output = vscode.window.createOutputChannel('ASL Workbench: Executions');
    this.statusItem = vscode.window.createStatusBarItem('aslWorkbench.runStatus', vscode.StatusBarAlignment.Left, 50);
    this.statusItem.name = 'ASL Workbench execution';
    this.statusItem.command = 'aslWorkbench.stopExecution';
  }

  /** Every execution of this session, newest first. */
  get executions(): readonly ExecutionRecord[] {
    return this.records;
  }

  find(id: string): ExecutionRecord | undefined {
    return this.records.find((r) => r.id === id);
  }

  /** The text written to the output channel so far (tests; capped). */
  outputText(): string {
    return this.mirror.join('\n');
  }

  /** The last overlay sent for a document. */
  lastOverlay(uri: vscode.Uri): GraphOverlay | undefined {
    return this.lastOverlays.get(uri.toString());
  }

  private print(line: string): void {
    this.output.appendLine(line);
    this.mirror.push(line);
    if (this.mirror.length > OUTPUT_MIRROR_LINES) this.mirror.splice(0, this.mirror.length - OUTPUT_MIRROR_LINES);
  }

  /** Starts an execution; returns its record at once (the run goes on in the worker). */
  start(req: StartRequest): ExecutionRecord {
    const id = `${++this.counter}`;
    const tracker = new OverlayTracker(req.graph);
    const worker = new WorkerExecution(
      {
        workerPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'runWorker.js').fsPath,
        cliPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'cli.js').fsPath,
        definition: req.definition,
        input: req.input,
        options: { ...req.options, name: req.options.name ?? randomUUID() },
        env: req.env,
      },
      {
        onEvent: (e) => this.onEvent(rec, e),
        onLog: (line, source) => this.print(logLine(line, source)),
      },
    );
    const rec: ExecutionRecord = {
      id,
      executionArn: worker.executionArn,
      uri: req.uri,
      label: `${path.basename(req.uri.fsPath)}${req.testCase ? ` (mock: ${req.testCase})` : ''}`,
      input: req.input,
      testCase: req.testCase,
      startedAt: Date.now(),
      status: 'RUNNING',
      events: [],
      tracker,
      done: worker.result,
    };
    this.records.unshift(rec);
    this.workers.set(id, worker);
    this.print('');
    this.print(
      `[${clock(rec.startedAt)}] ── execution ${id}: ${vscode.workspace.asRelativePath(req.uri)}${req.testCase ? ` with mock test case ${req.testCase}` : ''}`,
    );
    this.print(`  ${rec.executionArn}`);
    this.print(`  input: ${truncate(JSON.stringify(req.input), 500)}`);
    let overlayTimer: NodeJS.Timeout | undefined;
    const flushOverlay = (): void => {
      overlayTimer = undefined;
      const overlay = tracker.overlay(req.documentVersion);
      this.lastOverlays.set(req.uri.toString(), overlay);
      this.sink.applyOverlay(req.uri, overlay);
      this.overlayed.fire({ uri: req.uri, overlay });
    };
    this.overlaySchedulers.set(id, () => {
      overlayTimer ??= setTimeout(flushOverlay, OVERLAY_INTERVAL_MS);
    });
    flushOverlay();
    void this.sink.show(req.uri).then(flushOverlay, () => undefined);
    worker.start();
    this.updateStatusItem();
    this.changed.fire(rec);
    void worker.result.then((outcome) => {
      if (overlayTimer) clearTimeout(overlayTimer);
      rec.outcome = outcome;
      rec.status = outcome.status;
      rec.endedAt = Date.now();
      rec.current = undefined;
      this.workers.delete(id);
      this.overlaySchedulers.delete(id);
      if (outcome.workerProblem && outcome.status !== 'ABORTED') this.print(`  ✘ ${outcome.workerProblem}`);
      flushOverlay();
      this.print(
        `[${clock(rec.endedAt)}] ── execution ${id} ${outcome.status} in ${duration(rec.endedAt - rec.startedAt)}` +
          (outcome.error ? `: ${outcome.error}` : ''),
      );
      if (outcome.status === 'SUCCEEDED') this.print(`  output: ${truncate(JSON.stringify(outcome.output), 2000)}`);
      else if (outcome.cause) this.print(`  cause: ${truncate(outcome.cause, 2000)}`);
      this.updateStatusItem();
      this.changed.fire(rec);
    });
    this.progress(rec);
    return rec;
  }

  private onEvent(rec: ExecutionRecord, e: EventLike): void {
    rec.events.push(e);
    this.print(eventLine(e));
    if (rec.tracker.apply(e)) this.overlaySchedulers.get(rec.id)?.();
    if (e.type.endsWith('StateEntered')) rec.current = String(eventDetails(e).name);
    this.changed.fire(rec);
  }

  /** The progress notification: current state; its Cancel button stops the execution. */
  private progress(rec: ExecutionRecord): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${rec.label}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => void this.stop(rec.id));
        const sub = this.onDidChange((r) => {
          if (r !== rec || !rec.current) return;
          const last = rec.events[rec.events.length - 1];
          progress.report({ message: `${rec.current}${last ? ` — ${eventSummary(last)}` : ''}` });
        });
        try {
          await rec.done;
        } finally {
          sub.dispose();
        }
      },
    );
  }

  private updateStatusItem(): void {
    const running = this.records.filter((r) => r.status === 'RUNNING');
    if (!running.length) {
      this.statusItem.hide();
      return;
    }
    this.statusItem.text = `$(debug-stop) Stop ${running.length > 1 ? `${running.length} executions` : running[0]!.label}`;
    this.statusItem.tooltip = 'Stop the local execution (ABORTED; its containers, networks and Jobs are removed)';
    this.statusItem.show();
  }

  /** Stops one execution; resolves once its worker exited (after clean-up). */
  async stop(id: string): Promise<void> {
    const w = this.workers.get(id);
    if (!w) return;
    this.print(`[${clock(Date.now())}] ── stopping execution ${id}…`);
    await w.stop();
  }

  /** Stops every running execution (window closing); resolves when all workers exited. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((id) => this.stop(id)));
  }

  /** Duration text of a record. */
  static durationOf(r: ExecutionRecord): string {
    return duration((r.endedAt ?? Date.now()) - r.startedAt);
  }

  /** Milliseconds from ExecutionStarted to an event. */
  static offsetOf(r: ExecutionRecord, e: EventLike): number {
    const first = r.events[0];
    return timeOf(e) - (first ? timeOf(first) : r.startedAt);
  }

  dispose(): void {
    // the workers stop and clean up on their own when they lose the IPC channel; ask them first
    for (const w of this.workers.values()) void w.stop('AslWorkbench.WindowClosed', 'The VS Code window was closed');
    this.changed.dispose();
    this.overlayed.dispose();
    this.statusItem.dispose();
    this.output.dispose();
  }
}

function truncate(s: string | undefined, n: number): string {
  if (s === undefined) return 'undefined';
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
