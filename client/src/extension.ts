/**
 * Extension entry: composes the language client, the commands and (later) the graph preview
 * and run-locally UIs. activate() only wires things up and starts the client without waiting
 * for it, so it stays fast; the timings are exposed on the returned API (and logged).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerGenerateIamPolicy } from './commands/generateIamPolicy';
import { registerNewStateMachine } from './commands/newStateMachine';
import { registerRestartServer } from './commands/restartServer';
import { CrashPolicy } from './crashPolicy';
import { createLanguageClient } from './languageClient';
import { requestIamPolicy } from './iamRequest';
import { registerGraphPreview, type GraphPreview } from './graph/index';
import { registerRunLocally, type RunLocallyApi } from './run/index';
import { registerAwsExecutions, type AwsExecutionsApi } from './aws/commands';
import { registerTesting, type TestingApi } from './testing/index';
import { showTestCoverageInGraph } from './testing/graphCoverage';
import { templateMachine } from './templates';
import { registerTemplates } from './templateLens';
import { registerDebugLocally } from './debug/index';
import { registerAwsDeploy } from './aws/deploy';
import {
  DiagnosticsComputedNotification,
  STARTUP_RESULT_KEY,
  type DiagnosticsComputedParams,
  type ServerStartupTimes,
} from '../../server/src/protocol';

/**
 * The start-up timeline, ms from the start of activate(): the client's own figures and the
 * server's (its process clock is placed on the same timeline through the epoch of its start).
 */
export interface StartupParts {
  /** evaluating dist/client.js (its modules), ms */
  loadClient: number;
  /** from the end of that until VS Code called activate() (it prepares the extension's context) */
  awaitActivate: number;
  activate: number;
  serverProcessStarted: number;
  serverLoaded: number;
  initializeReceived: number;
  initializeAnswered: number;
  firstDiagnosticsSent: number;
  firstDiagnosticsReceived: number;
}

/** What `vscode.extensions.getExtension('asl-workbench.asl-workbench').exports` holds. */
export interface AslWorkbenchApi {
  /** the language client (started asynchronously; see `ready`) */
  readonly client: LanguageClient;
  /** resolves once the server answered `initialize` */
  readonly ready: Promise<void>;
  /** duration of activate(), ms */
  readonly activationMs: number;
  /** ms from the start of activate() to the first diagnostics the server pushed */
  readonly firstDiagnosticsMs: Promise<number>;
  /** ms from the start of activate() until the server answered `initialize` */
  readonly serverReadyMs: Promise<number>;
  /** the server's own parse + validate time for the first document, ms */
  readonly firstValidationMs: Promise<number>;
  /** each part of the time from activation to the first diagnostics (also logged) */
  readonly startup: Promise<StartupParts>;
  /** fires for every diagnostics notification the server pushes (even an empty list) */
  readonly onDiagnosticsPublished: vscode.Event<vscode.Uri>;
  /** fires (with the crash count) when the server crashed too often and is left stopped */
  readonly onServerGaveUp: vscode.Event<number>;
  /** the graph preview: show(uri), applyOverlay(uri, overlay) for run-locally, render reports */
  readonly graphPreview: GraphPreview;
  /** Run Locally: executions, output text, overlay (client/src/run) */
  readonly runLocally: RunLocallyApi;
  /** the Test Explorer's controller of state machine test files (client/src/testing) */
  readonly testing: TestingApi;
  /** executions on Step Functions in the Executions view (client/src/aws/commands.ts) */
  readonly awsExecutions: AwsExecutionsApi;
}

let client: LanguageClient | undefined;
let runLocally: RunLocallyApi | undefined;

/** Called by VS Code on the first ASL document or command. */
export function activate(context: vscode.ExtensionContext): AslWorkbenchApi {
  const t0 = performance.now();
  const output = vscode.window.createOutputChannel('ASL Workbench');
  const crashes = new CrashPolicy();
  let firstDiagnostics: (ms: number) => void = () => undefined;
  const firstDiagnosticsMs = new Promise<number>((resolve) => (firstDiagnostics = resolve));
  const published = new vscode.EventEmitter<vscode.Uri>();
  const gaveUp = new vscode.EventEmitter<number>();
  const c = createLanguageClient(context, output, crashes, {
    onDiagnostics: (uri) => {
      published.fire(uri);
      firstDiagnostics(performance.now() - t0);
      firstDiagnostics = () => undefined;
    },
    onGaveUp: (n) => gaveUp.fire(n),
  });
  client = c;
  // start the server before anything else: spawning and loading it is most of the time to the
  // first diagnostics, and everything below registers while it loads
  const ready = c.start().catch((err: unknown) => {
    output.appendLine(
      `[client] the language server did not start: ${err instanceof Error ? err.message : String(err)}`,
    );
    throw err;
  });
  ready.catch(() => undefined); // reported above; callers that care await `ready`
  context.subscriptions.push(
    output,
    published,
    gaveUp,
    registerRestartServer(c, crashes, output),
    registerGenerateIamPolicy(
      (uri, state) => requestIamPolicy(c, uri, state),
      async (uri) => {
        const template = await templateMachine(c, uri, 'IAM policy');
        return template === undefined ? uri : (template?.uri ?? null);
      },
      output,
    ),
    registerNewStateMachine(context),
  );
  // the server process is already starting: the UIs that only need it later register meanwhile
  const graphPreview = registerGraphPreview(context, c, (line) => output.appendLine(line));
  runLocally = registerRunLocally(context, c, graphPreview);
  registerAwsDeploy(context, c, runLocally.controller, published.event);
  const awsExecutions = registerAwsExecutions(context, c, runLocally);
  context.subscriptions.push(registerTemplates(c, published.event));
  registerDebugLocally(context, graphPreview, c);
  const testing = registerTesting(context);
  context.subscriptions.push(showTestCoverageInGraph(testing, graphPreview));
  const serverReadyMs = ready.then(() => performance.now() - t0);
  serverReadyMs.catch(() => undefined);
  const firstComputed = new Promise<DiagnosticsComputedParams>((resolve) => {
    const sub = c.onNotification(DiagnosticsComputedNotification, (p) => {
      sub.dispose();
      resolve(p);
    });
    context.subscriptions.push(sub);
  });
  const firstValidationMs = firstComputed.then((p) => p.elapsedMs);
  const activationMs = performance.now() - t0;
  const startup = Promise.all([firstDiagnosticsMs, serverReadyMs, firstComputed]).then(([d, r, computed]) =>
    startupParts(performance.timeOrigin + t0, activationMs, r, d, computed, c.initializeResult?.[STARTUP_RESULT_KEY]),
  );
  startup.catch(() => undefined); // the server did not start: reported above
  void startup.then((p) =>
    output.appendLine(
      `[client] startup: client bundle evaluated in ${p.loadClient.toFixed(1)} ms, activate() called ${p.awaitActivate.toFixed(1)} ms later and took ${p.activate.toFixed(1)} ms; server process started +${p.serverProcessStarted.toFixed(1)} ms, ` +
        `bundle loaded +${p.serverLoaded.toFixed(1)} ms; initialize received +${p.initializeReceived.toFixed(1)} ms, ` +
        `answered +${p.initializeAnswered.toFixed(1)} ms; first diagnostics sent +${p.firstDiagnosticsSent.toFixed(1)} ms, ` +
        `received +${p.firstDiagnosticsReceived.toFixed(1)} ms (from the start of activation, epoch ms ${Math.round(performance.timeOrigin + t0)})`,
    ),
  );
  return {
    client: c,
    ready,
    activationMs,
    firstDiagnosticsMs,
    serverReadyMs,
    firstValidationMs,
    startup,
    onDiagnosticsPublished: published.event,
    onServerGaveUp: gaveUp.event,
    graphPreview,
    runLocally,
    testing,
    awsExecutions,
  };
}

/** performance.now() when dist/client.js began to load (a line the build puts first in it). */
declare const __aslClientLoadStart: number | undefined;
const CLIENT_LOAD_START = typeof __aslClientLoadStart === 'number' ? __aslClientLoadStart : undefined;
/** this module runs after every module it imports: the bundle has been evaluated */
const CLIENT_EVALUATED = performance.now();

/** Places the server's start-up figures (ms since its process started) on the client's timeline. */
function startupParts(
  activationEpoch: number,
  activate: number,
  initializeAnswered: number,
  firstDiagnosticsReceived: number,
  computed: DiagnosticsComputedParams,
  server: ServerStartupTimes | undefined,
): StartupParts {
  const spawned = server ? server.processStart - activationEpoch : NaN;
  return {
    loadClient: CLIENT_LOAD_START === undefined ? NaN : CLIENT_EVALUATED - CLIENT_LOAD_START,
    awaitActivate: activationEpoch - performance.timeOrigin - CLIENT_EVALUATED,
    activate,
    serverProcessStarted: spawned,
    serverLoaded: spawned + (server?.loadedMs ?? NaN),
    initializeReceived: spawned + (server?.initializeMs ?? NaN),
    initializeAnswered,
    firstDiagnosticsSent: spawned + (computed.sinceStartMs ?? NaN),
    firstDiagnosticsReceived,
  };
}

/** Stops the server process with the window. */
export async function deactivate(): Promise<void> {
  // closing the window stops local executions (ABORTED, containers/networks/Jobs removed)
  await runLocally?.stopAll();
  runLocally = undefined;
  if (client?.isRunning()) await client.stop();
  client = undefined;
}
