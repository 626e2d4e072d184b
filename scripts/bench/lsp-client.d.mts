// Types of lsp-client.mjs for TypeScript tests that reuse it.
import type { ChildProcess } from 'node:child_process';
import type { MessageConnection } from 'vscode-jsonrpc/node';

export const REPO_ROOT: string;
export const SERVER_JS: string;

export interface LspPosition {
  line: number;
  character: number;
}
export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  diagnostics: any[];
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
  published: PublishedDiagnostics[];
  logs: { type: number; message: string }[];
  readonly stderr: string;
  readonly exited: { code?: number | null; signal?: string | null } | undefined;
  request<R = unknown>(method: string, params: unknown, timeoutMs?: number): Promise<R>;
  notify(method: string, params: unknown): void;
  setSettings(next: Record<string, unknown>): void;
  open(uri: string, text: string, languageId?: string, version?: number): void;
  changeIncremental(uri: string, version: number, contentChanges: ContentChange[]): void;
  changeFull(uri: string, version: number, text: string): void;
  close(uri: string): void;
  waitForDiagnostics(
    uri: string,
    predicate?: (p: PublishedDiagnostics) => boolean,
    timeoutMs?: number,
    includePast?: boolean,
  ): Promise<PublishedDiagnostics>;
  stop(): Promise<void>;
}

export function startLspClient(opts?: {
  serverPath?: string;
  settings?: Record<string, unknown>;
  args?: string[];
  capabilities?: object;
}): Promise<LspClient>;
export function positionAt(text: string, offset: number): LspPosition;
