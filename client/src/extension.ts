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
  /** fires for every diagnostics notification the server pushes (even an empty list) */
  readonly onDiagnosticsPublished: vscode.Event<vscode.Uri>;
}

let client: LanguageClient | undefined;

/** Called by VS Code on the first ASL document or command. */
export function activate(context: vscode.ExtensionContext): AslWorkbenchApi {
  const t0 = performance.now();
  const output = vscode.window.createOutputChannel('ASL Workbench');
  const crashes = new CrashPolicy();
  let firstDiagnostics: (ms: number) => void = () => undefined;
  const firstDiagnosticsMs = new Promise<number>((resolve) => (firstDiagnostics = resolve));
  const published = new vscode.EventEmitter<vscode.Uri>();
  const c = createLanguageClient(context, output, crashes, {
    onDiagnostics: (uri) => {
      published.fire(uri);
      firstDiagnostics(performance.now() - t0);
      firstDiagnostics = () => undefined;
    },
  });
  client = c;
  context.subscriptions.push(
    output,
    published,
    registerRestartServer(c, crashes, output),
    registerGenerateIamPolicy((uri) => requestIamPolicy(c, uri), output),
    registerNewStateMachine(context),
  );
  const ready = c.start().catch((err: unknown) => {
    output.appendLine(`[client] the language server did not start: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  });
  ready.catch(() => undefined); // reported above; callers that care await `ready`
  const activationMs = performance.now() - t0;
  output.appendLine(`[client] activate() took ${activationMs.toFixed(1)} ms`);
  void firstDiagnosticsMs.then((ms) => output.appendLine(`[client] first diagnostics ${ms.toFixed(1)} ms after activation started`));
  return { client: c, ready, activationMs, firstDiagnosticsMs, onDiagnosticsPublished: published.event };
}

/** Stops the server process with the window. */
export async function deactivate(): Promise<void> {
  if (client?.isRunning()) await client.stop();
  client = undefined;
}
