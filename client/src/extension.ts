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
import { DiagnosticsComputedNotification } from '../../server/src/protocol';

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
  /** fires for every diagnostics notification the server pushes (even an empty list) */
  readonly onDiagnosticsPublished: vscode.Event<vscode.Uri>;
  /** fires (with the crash count) when the server crashed too often and is left stopped */
  readonly onServerGaveUp: vscode.Event<number>;
  /** the graph preview: show(uri), applyOverlay(uri, overlay) for run-locally, render reports */
  readonly graphPreview: GraphPreview;
  /** Run Locally: executions, output text, overlay (client/src/run) */
  readonly runLocally: RunLocallyApi;
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
  context.subscriptions.push(
    output,
    published,
    gaveUp,
    registerRestartServer(c, crashes, output),
    registerGenerateIamPolicy((uri, state) => requestIamPolicy(c, uri, state), output),
    registerNewStateMachine(context),
  );
  // start the server first: spawning and loading it is most of the time to first diagnostics
  const ready = c.start().catch((err: unknown) => {
    output.appendLine(
      `[client] the language server did not start: ${err instanceof Error ? err.message : String(err)}`,
    );
    throw err;
  });
  ready.catch(() => undefined); // reported above; callers that care await `ready`
  // the server process is already starting: the UIs that only need it later register meanwhile
  const graphPreview = registerGraphPreview(context, c, (line) => output.appendLine(line));
  runLocally = registerRunLocally(context, c, graphPreview);
  const serverReadyMs = ready.then(() => performance.now() - t0);
  serverReadyMs.catch(() => undefined);
  const firstValidationMs = new Promise<number>((resolve) => {
    const sub = c.onNotification(DiagnosticsComputedNotification, (p) => {
      sub.dispose();
      resolve(p.elapsedMs);
    });
    context.subscriptions.push(sub);
  });
  const activationMs = performance.now() - t0;
  output.appendLine(`[client] activate() took ${activationMs.toFixed(1)} ms`);
  void Promise.all([firstDiagnosticsMs, serverReadyMs, firstValidationMs]).then(([d, r, v]) =>
    output.appendLine(
      `[client] first diagnostics ${d.toFixed(1)} ms after activation started (server ready at ${r.toFixed(1)} ms; validation ${v.toFixed(1)} ms)`,
    ),
  );
  return {
    client: c,
    ready,
    activationMs,
    firstDiagnosticsMs,
    serverReadyMs,
    firstValidationMs,
    onDiagnosticsPublished: published.event,
    onServerGaveUp: gaveUp.event,
    graphPreview,
    runLocally,
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
