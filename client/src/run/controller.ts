/**
 * The executions of this window, local and on Step Functions: starts each local one in a
 * worker process, follows each cloud one through its history, prints their events and logs
 * to the "ASL Workbench: Executions" output channel, keeps the history for the Executions
 * view, shows a progress notification (its Cancel button stops the run) and a status bar
 * Stop item, and feeds the graph preview's live overlay.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import type { GraphNode, GraphOverlay } from '../../../asl/src/graph/types';
import type { WorkerRunOptions } from '../../../runner/src/workerProtocol';
import { EventWindow } from './eventWindow';
import { WorkerExecution, executionArnOf, type ExecutionHandle, type ExecutionOutcome } from './execution';
import { clock, duration, eventLine, eventSummary, logLine, mapRunText, timeOf } from './format';
import { OverlayTracker, eventDetails, type EventLike, type MapRunItems } from './overlay';

/** Where the overlay goes (the graph preview's API, or a stand-in). */
export interface OverlaySink {
  show(uri: vscode.Uri): Promise<void>;
  applyOverlay(uri: vscode.Uri, overlay: GraphOverlay): void;
}

export type ExecutionStatus = 'RUNNING' | ExecutionOutcome['status'];

/** Where an execution runs: a local worker, or Step Functions (AWS or another endpoint). */
export type ExecutionOrigin = 'local' | 'aws';

/** One execution of this session. */
export interface ExecutionRecord {
  /** short id of this session's execution (also the asl-exec: URI's first segment) */
  readonly id: string;
  readonly origin: ExecutionOrigin;
  /** where an `aws` execution runs: endpoint or region (client/src/aws/settings.ts describeTarget) */
  readonly target?: string;
  readonly executionArn: string;
  readonly uri: vscode.Uri;
  readonly label: string;
  readonly input: unknown;
  readonly testCase?: string;
  readonly startedAt: number;
  endedAt?: number;
  status: ExecutionStatus;
  /** the newest events (client/src/run/eventWindow.ts KEPT_EVENTS), oldest first */
  readonly events: EventLike[];
  /** how many older events are not in `events` */
  readonly droppedEvents: number;
  outcome?: ExecutionOutcome;
  readonly tracker: OverlayTracker;
  /** the state currently running (for the progress message) */
  current?: string;
  /** the latest counts of a Map Run running now (the view's description and the progress message show them) */
  mapRun?: MapRunItems;
  /** settles when the execution ends (again, after a redrive) */
  done: Promise<ExecutionOutcome>;
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

/** What an execution hands to the controller while it runs. */
export interface ExecutionSink {
  /** history events in id order (one page of a cloud history, or one local event) */
  onEvents(batch: readonly EventLike[]): void;
  onLog(line: string, source?: string): void;
  /** a Map Run's counts (executions on Step Functions, through DescribeMapRun) */
  onMapRun(m: MapRunItems): void;
}

/** An execution the controller follows: who runs it is decided by `create`. */
export interface FollowRequest {
  origin: ExecutionOrigin;
  executionArn: string;
  target?: string;
  uri: vscode.Uri;
  label: string;
  input: unknown;
  /** when the execution started (epoch ms), for an execution opened after it began */
  startedAt?: number;
  testCase?: string;
  graph?: readonly GraphNode[];
  documentVersion?: number;
  /** show the progress notification (its Cancel button stops the execution) */
  progress: boolean;
  create(sink: ExecutionSink): ExecutionHandle;
}

const OVERLAY_INTERVAL_MS = 100;
/** A record's `done` until its handle exists (replaced at once by `attach`). */
const UNSETTLED = new Promise<ExecutionOutcome>(() => undefined);
const OUTPUT_MIRROR_LINES = 5000;

interface Followed {
  handle: ExecutionHandle;
  flushOverlay(): void;
  scheduleOverlay(): void;
  cancelOverlay(): void;
}

export class RunController implements vscode.Disposable {
  readonly output: vscode.OutputChannel;
  private readonly records: ExecutionRecord[] = [];
  /** executions being run or followed, by record id */
  private readonly followed = new Map<string, Followed>();
  private readonly windows = new Map<string, EventWindow>();
  private readonly changed = new vscode.EventEmitter<ExecutionRecord | undefined>();
  private readonly overlayed = new vscode.EventEmitter<{ uri: vscode.Uri; overlay: GraphOverlay }>();
  private readonly mirror: string[] = [];
  private readonly statusItem: vscode.StatusBarItem;
  private readonly lastOverlays = new Map<string, GraphOverlay>();
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

  private print(...lines: string[]): void {
    this.output.appendLine(lines.join('\n'));
    this.mirror.push(...lines);
    if (this.mirror.length > OUTPUT_MIRROR_LINES) this.mirror.splice(0, this.mirror.length - OUTPUT_MIRROR_LINES);
  }

  /** Starts a local execution; returns its record at once (the run goes on in the worker). */
  start(req: StartRequest): ExecutionRecord {
    const workerPath = vscode.Uri.joinPath(this.extensionUri, 'dist', 'runWorker.js').fsPath;
    const spec = {
      workerPath,
      cleanerPath: workerPath,
      definition: req.definition,
      input: req.input,
      options: { ...req.options, name: req.options.name ?? randomUUID() },
      env: req.env,
    };
    return this.follow({
      origin: 'local',
      executionArn: executionArnOf(spec.options),
      uri: req.uri,
      label: `${path.basename(req.uri.fsPath)}${req.testCase ? ` (mock: ${req.testCase})` : ''}`,
      input: req.input,
      testCase: req.testCase,
      graph: req.graph,
      documentVersion: req.documentVersion,
      progress: true,
      create: (sink) =>
        new WorkerExecution(spec, {
          onEvent: (e) => sink.onEvents([e]),
          onLog: (line, source) => sink.onLog(line, source),
        }),
    });
  }

  /** Follows an execution (local or cloud); returns its record at once. */
  follow(req: FollowRequest): ExecutionRecord {
    const id = `${++this.counter}`;
    const window = new EventWindow();
    const rec: ExecutionRecord = {
      id,
      origin: req.origin,
      target: req.target,
      executionArn: req.executionArn,
      uri: req.uri,
      label: req.label,
      input: req.input,
      testCase: req.testCase,
      startedAt: req.startedAt ?? Date.now(),
      status: 'RUNNING',
      events: window.events,
      get droppedEvents() {
        return window.dropped;
      },
      tracker: new OverlayTracker(req.graph),
      done: UNSETTLED,
    };
    this.windows.set(id, window);
    this.attach(rec, req.create, req.documentVersion);
    this.records.unshift(rec);
    this.print(
      '',
      `[${clock(rec.startedAt)}] ── execution ${id}: ${vscode.workspace.asRelativePath(req.uri)}${req.testCase ? ` with mock test case ${req.testCase}` : ''}${req.target ? ` on ${req.target}` : ''}`,
      `  ${rec.executionArn}`,
      `  input: ${truncate(JSON.stringify(req.input), 500)}`,
    );
    this.followed.get(id)!.flushOverlay();
    void this.sink.show(req.uri).then(
      () => this.followed.get(id)?.flushOverlay(),
      () => undefined,
    );
    this.run(rec, req.progress);
    return rec;
  }

  /**
   * Follows an ended execution again (a redrive on Step Functions, or opened again): the record
   * is RUNNING again and gets the events the new handle reads. False when the record is still
   * followed. `progress`: show the progress notification.
   */
  resume(id: string, create: (sink: ExecutionSink) => ExecutionHandle, progress: boolean): boolean {
    const rec = this.find(id);
    if (!rec || this.followed.has(id)) return false;
    rec.status = 'RUNNING';
    rec.endedAt = undefined;
    rec.outcome = undefined;
    this.attach(rec, create, undefined);
    this.print(`[${clock(Date.now())}] ── execution ${id} followed again`);
    this.run(rec, progress);
    return true;
  }

  /** Creates the handle of a record and the overlay scheduling around it. */
  private attach(
    rec: ExecutionRecord,
    create: (sink: ExecutionSink) => ExecutionHandle,
    documentVersion: number | undefined,
  ): void {
    const window = this.windows.get(rec.id)!;
    let overlayTimer: NodeJS.Timeout | undefined;
    const flushOverlay = (): void => {
      overlayTimer = undefined;
      const overlay = rec.tracker.overlay(documentVersion);
      this.lastOverlays.set(rec.uri.toString(), overlay);
      this.sink.applyOverlay(rec.uri, overlay);
      this.overlayed.fire({ uri: rec.uri, overlay });
    };
    const handle = create({
      onEvents: (batch) => this.onEvents(rec, window, batch),
      onLog: (line, source) => this.print(logLine(line, source)),
      onMapRun: (m) => this.onMapRun(rec, m),
    });
    this.followed.set(rec.id, {
      handle,
      flushOverlay,
      scheduleOverlay: () => (overlayTimer ??= setTimeout(flushOverlay, OVERLAY_INTERVAL_MS)),
      cancelOverlay: () => overlayTimer && clearTimeout(overlayTimer),
    });
    rec.done = handle.result;
  }

  /** Starts the record's handle and settles the record when it ends. */
  private run(rec: ExecutionRecord, progress: boolean): void {
    const f = this.followed.get(rec.id)!;
    f.handle.start();
    this.updateStatusItem();
    this.changed.fire(rec);
    void f.handle.result.then((outcome) => {
      f.cancelOverlay();
      rec.outcome = outcome;
      rec.status = outcome.status;
      rec.endedAt = Date.now();
      rec.current = undefined;
      rec.mapRun = undefined;
      this.followed.delete(rec.id);
      if (outcome.workerProblem && outcome.status !== 'ABORTED') this.print(`  ✘ ${outcome.workerProblem}`);
      f.flushOverlay();
      this.print(
        `[${clock(rec.endedAt)}] ── execution ${rec.id} ${outcome.status} in ${duration(rec.endedAt - rec.startedAt)}` +
          (outcome.error ? `: ${outcome.error}` : ''),
      );
      if (outcome.status === 'SUCCEEDED') this.print(`  output: ${truncate(JSON.stringify(outcome.output), 2000)}`);
      else if (outcome.cause) this.print(`  cause: ${truncate(outcome.cause, 2000)}`);
      this.updateStatusItem();
      this.changed.fire(rec);
    });
    if (progress) this.progress(rec);
  }

  private onEvents(rec: ExecutionRecord, window: EventWindow, batch: readonly EventLike[]): void {
    if (!batch.length) return;
    window.add(batch);
    this.print(...batch.map(eventLine));
    let overlayChanged = false;
    for (const e of batch) {
      if (rec.tracker.apply(e)) overlayChanged = true;
      if (e.type.endsWith('StateEntered')) rec.current = String(eventDetails(e).name);
    }
    if (overlayChanged) this.followed.get(rec.id)?.scheduleOverlay();
    this.changed.fire(rec);
  }

  private onMapRun(rec: ExecutionRecord, m: MapRunItems): void {
    if (rec.tracker.applyMapRun(m)) this.followed.get(rec.id)?.scheduleOverlay();
    if (m.status === 'RUNNING') rec.mapRun = m;
    else if (rec.mapRun?.mapRunArn === m.mapRunArn) rec.mapRun = undefined;
    this.changed.fire(rec);
  }

  /** The progress notification: current state; its Cancel button stops the execution. */
  private progress(rec: ExecutionRecord): void {
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Running ${rec.label}${rec.target ? ` on ${rec.target}` : ''}`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => void this.stop(rec.id));
        const sub = this.onDidChange((r) => {
          if (r !== rec || !rec.current) return;
          const last = rec.events[rec.events.length - 1];
          const detail = rec.mapRun ? mapRunText(rec.mapRun) : last && eventSummary(last);
          progress.report({ message: `${rec.current}${detail ? ` — ${detail}` : ''}` });
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
    this.statusItem.tooltip = running.every((r) => r.origin === 'local')
      ? 'Stop the local execution (ABORTED; its containers, networks and Jobs are removed)'
      : 'Stop the execution (ABORTED; on Step Functions through StopExecution)';
    this.statusItem.show();
  }

  /** Stops one execution; resolves once it ended (a local worker exited after clean-up). */
  async stop(id: string): Promise<void> {
    const f = this.followed.get(id);
    if (!f) return;
    this.print(`[${clock(Date.now())}] ── stopping execution ${id}…`);
    try {
      await f.handle.stop();
    } catch (e) {
      // a cloud execution the service refused to stop (permissions, already ended elsewhere)
      const text = `execution ${id} was not stopped: ${(e as Error).message}`;
      this.print(`  ✘ ${text}`);
      void vscode.window.showErrorMessage(`Stop Execution: ${text}`);
    }
  }

  /** Stops every running local execution (window closing); resolves when all workers exited. */
  async stopAll(): Promise<void> {
    const local = [...this.followed.keys()].filter((id) => this.find(id)?.origin === 'local');
    await Promise.all(local.map((id) => this.stop(id)));
  }

  /** Duration text of a record. */
  static durationOf(r: ExecutionRecord): string {
    return duration((r.endedAt ?? Date.now()) - r.startedAt);
  }

  /** Milliseconds from the first kept event (ExecutionStarted) to an event. */
  static offsetOf(r: ExecutionRecord, e: EventLike): number {
    const first = r.droppedEvents ? undefined : r.events[0];
    return timeOf(e) - (first ? timeOf(first) : r.startedAt);
  }

  dispose(): void {
    // local workers stop and clean up (they also do when they lose the IPC channel); cloud
    // executions go on, unwatched
    for (const f of this.followed.values()) f.handle.detach();
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
