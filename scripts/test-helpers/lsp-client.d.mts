// Types of lsp-client.mjs for the TypeScript tests.
import type { ChildProcess } from 'node:child_process';
import type { MessageConnection } from 'vscode-jsonrpc/node';

export const REPO_ROOT: string;
export const SERVER_JS: string;

export interface LspPosition {
  line: number;
  character: number;
}
export interface LspDiagnostic {
  range: { start: LspPosition; end: LspPosition };
  code?: string | number;
  message: string;
  severity?: number;
  source?: string;
  data?: unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}
export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
  /** performance.now() when received */
  at: number;
}
export interface ContentChange {
  range?: { start: LspPosition; end: LspPosition };
  text: string;
}

export interface LspClient {
  connection: MessageConnection;
  process: ChildProcess;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  initializeResult: { capabilities: Record<string, any>; serverInfo?: { name: string; version?: string } };
  /** every publishDiagnostics received, in order */
  published: PublishedDiagnostics[];
  /** window/logMessage notifications received */
  logs: { type: number; message: string }[];
  /** requests the server sent to the client (workspace/applyEdit is answered `applied`) */
  serverRequests: { method: string; params: unknown }[];
  readonly stderr: string;
  /** how the server process ended; undefined while it runs */
  readonly exited: { code: number | null; signal: string | null } | undefined;
  /** Sends a request; rejects after timeoutMs (default 30 s). */
  request<R = unknown>(method: string, params: unknown, timeoutMs?: number): Promise<R>;
  notify(method: string, params: unknown): void;
  /** Replaces settings of the `aslWorkbench` section and notifies the server. */
  setSettings(next: Record<string, unknown>): void;
  /** Opens a document; the language id follows the file name (asl-yaml for .yaml/.yml). */
  open(uri: string, text: string, languageId?: string, version?: number): void;
  changeIncremental(uri: string, version: number, contentChanges: ContentChange[]): void;
  changeFull(uri: string, version: number, text: string): void;
  close(uri: string): void;
  /**
   * Resolves with the first publishDiagnostics for `uri` that `accept`s, among those that arrive
   * after this call (or also those already received, with `includePast`); rejects after
   * `deadlineMs` (default 30 s).
   */
  waitForDiagnostics(
    uri: string,
    accept?: (p: PublishedDiagnostics) => boolean,
    options?: { deadlineMs?: number; includePast?: boolean },
  ): Promise<PublishedDiagnostics>;
  stop(): Promise<void>;
}

/** Builds dist/ unless dist/server.js is newer than every source file. */
export function ensureFreshBuild(): Promise<void>;
/** Starts the server and completes initialize/initialized. */
export function startLspClient(opts?: {
  /** another server bundle (not rebuilt) */
  serverPath?: string;
  /** the `aslWorkbench` settings section */
  settings?: Record<string, unknown>;
  args?: string[];
  capabilities?: object;
  /** added to the server's environment */
  env?: Record<string, string>;
}): Promise<LspClient>;
export function positionAt(text: string, offset: number): LspPosition;
