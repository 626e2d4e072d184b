/**
 * A DAP client for the debug adapter tests: starts `node dist/debugAdapter.js` through
 * @vscode/debugadapter-testsupport's DebugClient, records every event it sends, and waits for
 * them with deadlines (scripts/test-helpers/wait.mjs).
 */
import fs from 'node:fs';
import { afterEach } from 'node:test';
import path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ensureFreshBuild, REPO_ROOT } from '../../scripts/test-helpers/lsp-client.mjs';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';
import type { AslLaunchArguments } from '../src/debug/launchArgs';

export const DEBUG_FIXTURES = path.join(__dirname, 'fixtures', 'debug');
const ADAPTER = path.join(REPO_ROOT, 'dist/debugAdapter.js');
/** Long enough for a loaded machine starting containers. */
const DEADLINE_MS = 60_000;

/** The 1-based line of the first line of `file` containing `text`. */
export function lineOf(file: string, text: string): number {
  const i = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} is not in ${file}`);
  return i + 1;
}

export interface LaunchSetup {
  breakpoints?: DebugProtocol.SourceBreakpoint[];
  exceptions?: DebugProtocol.SetExceptionBreakpointsArguments;
}

export class AdapterSession {
  readonly dc = new DebugClient('node', ADAPTER, 'asl', { cwd: REPO_ROOT });
  readonly stops: DebugProtocol.StoppedEvent['body'][] = [];
  readonly threadEvents: DebugProtocol.ThreadEvent['body'][] = [];
  readonly aslStates: unknown[] = [];
  output = '';
  terminated = false;
  private seenStops = 0;

  static async start(): Promise<AdapterSession> {
    await ensureFreshBuild();
    const s = new AdapterSession();
    s.dc.defaultTimeout = DEADLINE_MS;
    s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => s.stops.push(e.body));
    s.dc.on('thread', (e: DebugProtocol.ThreadEvent) => s.threadEvents.push(e.body));
    s.dc.on('output', (e: DebugProtocol.OutputEvent) => (s.output += e.body.output));
    s.dc.on('aslState', (e: DebugProtocol.Event) => s.aslStates.push(e.body));
    s.dc.on('terminated', () => (s.terminated = true));
    await s.dc.start();
    return s;
  }

  /** Launches `program` with the breakpoints and exception filters set during configuration. */
  async launch(args: AslLaunchArguments, setup: LaunchSetup = {}): Promise<DebugProtocol.Breakpoint[]> {
    let breakpoints: DebugProtocol.Breakpoint[] = [];
    await Promise.all([
      this.dc.waitForEvent('initialized', DEADLINE_MS).then(async () => {
        if (setup.breakpoints)
          breakpoints = (
            await this.dc.setBreakpointsRequest({ source: { path: args.program }, breakpoints: setup.breakpoints })
          ).body.breakpoints;
        if (setup.exceptions) await this.dc.setExceptionBreakpointsRequest(setup.exceptions);
        await this.dc.configurationDoneRequest();
      }),
      this.dc.launch({ timeScale: 0, ...args } as DebugProtocol.LaunchRequestArguments),
    ]);
    return breakpoints;
  }

  /** The next stop after the ones already returned. */
  async nextStop(): Promise<DebugProtocol.StoppedEvent['body']> {
    await waitFor(() => this.stops.length > this.seenStops || this.terminated, {
      deadlineMs: DEADLINE_MS,
      message: `stop #${this.seenStops + 1}`,
    });
    const s = this.stops[this.seenStops++];
    if (!s) throw new Error(`the execution ended instead of stopping; output:\n${this.output}`);
    return s;
  }

  async frames(threadId: number): Promise<DebugProtocol.StackFrame[]> {
    return (await this.dc.stackTraceRequest({ threadId })).body.stackFrames;
  }

  /** The variables of the scope of `frameId` whose name starts with `scopeName`, by name. */
  async scope(frameId: number, scopeName: string): Promise<Map<string, DebugProtocol.Variable>> {
    const scopes = (await this.dc.scopesRequest({ frameId })).body.scopes;
    const s = scopes.find((x) => x.name.startsWith(scopeName));
    if (!s) throw new Error(`no scope ${scopeName} in ${scopes.map((x) => x.name).join(', ')}`);
    return this.children(s.variablesReference);
  }

  async children(ref: number): Promise<Map<string, DebugProtocol.Variable>> {
    const vars = (await this.dc.variablesRequest({ variablesReference: ref })).body.variables;
    return new Map(vars.map((v) => [v.name, v]));
  }

  async evaluate(expression: string, frameId: number): Promise<string> {
    return (await this.dc.evaluateRequest({ expression, frameId, context: 'repl' })).body.result;
  }

  /** Waits for the end of the execution; returns everything the adapter printed. */
  async ended(): Promise<string> {
    await waitFor(() => this.terminated, {
      deadlineMs: DEADLINE_MS,
      message: `the end of the execution; output:\n${this.output}`,
    });
    return this.output;
  }

  async close(): Promise<void> {
    await this.dc.stop();
  }
}

/**
 * One adapter session per test, closed after it however the test ended: the returned
 * function starts the test's session (a second call replaces it, closing nothing).
 */
export function sessionPerTest(): () => Promise<AdapterSession> {
  let session: AdapterSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });
  return async () => (session = await AdapterSession.start());
}
