/**
 * Creates the LanguageClient for dist/server.js (node IPC), with the restart-on-crash policy
 * and a middleware hook that reports the first diagnostics (for the activation figures).
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CrashPolicy } from './crashPolicy';
import { HOST_SELECTOR } from './templates';

/** Client id: also the prefix of the trace setting (`aslWorkbench.trace.server`). */
export const CLIENT_ID = 'aslWorkbench';
export const LANGUAGES = ['asl', 'asl-yaml'] as const;

export interface ClientHooks {
  /** Called for every diagnostics notification the server pushes. */
  onDiagnostics?: (uri: vscode.Uri) => void;
  /** Called when the server crashed too often and is not restarted any more. */
  onGaveUp?: (recentCrashes: number) => void;
}

/** Builds (does not start) the client. `crashes` is shared so a manual restart can reset it. */
export function createLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  crashes: CrashPolicy,
  hooks: ClientHooks = {},
): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  // where dist/server.js keeps V8's compiled code of the server between starts (boot.ts)
  const env = {
    ...process.env,
    ASL_WORKBENCH_CODE_CACHE: vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath,
  };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const config = vscode.workspace.getConfiguration(CLIENT_ID);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // templates and Terraform files: the server answers only inside their state machines
      ...HOST_SELECTOR,
    ],
    outputChannel: output,
    traceOutputChannel: output,
    // the server also pulls `aslWorkbench` with workspace/configuration; sending it up front
    // lets the first diagnostics use the right machine type without a round trip
    initializationOptions: {
      [CLIENT_ID]: { machineType: config.get('machineType'), iam: config.get('iam') },
    },
    errorHandler: crashHandler(output, crashes, hooks),
    middleware: {
      handleDiagnostics(uri, diagnostics, next) {
        next(uri, diagnostics);
        hooks.onDiagnostics?.(uri);
      },
    },
  };
  return new LanguageClient(CLIENT_ID, 'ASL Workbench', serverOptions, clientOptions);
}

/** Connection errors never stop the client; a closed connection restarts the server per the policy. */
function crashHandler(output: vscode.OutputChannel, crashes: CrashPolicy, hooks: ClientHooks): ErrorHandler {
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: (): CloseHandlerResult => {
      const { restart, recentCrashes } = crashes.onCrash();
      if (restart) {
        output.appendLine(
          `[client] the language server stopped unexpectedly (${recentCrashes} in the last 3 minutes); restarting it`,
        );
        return { action: CloseAction.Restart, handled: true };
      }
      const msg = `The ASL language server crashed ${recentCrashes} times in 3 minutes and was not restarted.`;
      output.appendLine(`[client] ${msg}`);
      hooks.onGaveUp?.(recentCrashes);
      void vscode.window.showErrorMessage(msg, 'Restart Server', 'Show Log').then((choice) => {
        if (choice === 'Restart Server') void vscode.commands.executeCommand('aslWorkbench.restartServer');
        else if (choice === 'Show Log') output.show(true);
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}
