/**
 * A small LSP client for tests: starts the built `dist/server.js --stdio`, speaks real
 * JSON-RPC over its stdin/stdout, answers `workspace/configuration` with test settings and
 * collects published diagnostics. Waiting is always event-driven with a deadline.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

/** How long stop() waits for the shutdown answer, then for the process to exit. */
const SHUTDOWN_DEADLINE_MS = 2000;
const EXIT_DEADLINE_MS = 3000;

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = process.env.ASL_REPO_ROOT ?? path.resolve(here, '../../..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist/server.js');

/** Builds dist/ once when the server bundle is missing (CI builds before running tests). */
export function ensureBuilt(): void {
  if (fs.existsSync(SERVER_JS)) return;
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: unknown; code?: string | number; message: string; severity?: number; data?: unknown }[];
}

export interface LspClient {
  connection: MessageConnection;
  process: ChildProcess;
  /** sends a request and returns its result */
  request<R>(method: string, params: unknown): Promise<R>;
  notify(method: string, params: unknown): void;
  /** opens a document; languageId defaults from the extension */
  open(uri: string, text: string, languageId?: string, version?: number): void;
  change(uri: string, text: string, version: number): void;
  close(uri: string): void;
  /** resolves with the next diagnostics published for `uri` (optionally for a given version) */
  diagnostics(uri: string, version?: number, timeoutMs?: number): Promise<PublishedDiagnostics>;
  /** requests the client received from the server (e.g. workspace/applyEdit) */
  serverRequests: { method: string; params: unknown }[];
  stop(): Promise<void>;
}

/** Language id the client would use for a file name. */
export function languageIdFor(uri: string): string {
  return /\.ya?ml$/i.test(uri) ? 'asl-yaml' : 'asl';
}

/** Starts the server and completes the initialize handshake. */
export async function startServer(settings: Record<string, unknown> = {}): Promise<LspClient> {
  ensureBuilt();
  const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const latest = new Map<string, PublishedDiagnostics[]>();
  const waiters: { uri: string; version?: number; resolve: (p: PublishedDiagnostics) => void }[] = [];
  const serverRequests: { method: string; params: unknown }[] = [];

  connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
    const list = latest.get(p.uri) ?? [];
    list.push(p);
    latest.set(p.uri, list);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === p.uri && (w.version === undefined || w.version === p.version)) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
    p.items.map(() => settings),
  );
  connection.onRequest((method: string, params: unknown) => {
    serverRequests.push({ method, params });
    if (method === 'workspace/applyEdit') return { applied: true };
    return null;
  });
  connection.onNotification(() => undefined);
  connection.listen();

  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true } },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'refactor'] } } },
        rename: { prepareSupport: true },
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
      },
    },
    initializationOptions: { aslWorkbench: settings },
  });
  connection.sendNotification('initialized', {});

  const client: LspClient = {
    connection,
    process: child,
    serverRequests,
    request: <R>(method: string, params: unknown) => connection.sendRequest(method, params) as Promise<R>,
    notify: (method, params) => void connection.sendNotification(method, params),
    open(uri, text, languageId = languageIdFor(uri), version = 1) {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    },
    change(uri, text, version) {
      void connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
    },
    close(uri) {
      void connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    diagnostics(uri, version, timeoutMs = 10000) {
      const seen = latest.get(uri)?.find((p) => version === undefined || p.version === version);
      if (seen && version !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
        waiters.push({
          uri,
          version,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      });
    },
    async stop() {
      try {
        // deadlines, not sleeps: a server that does not answer shutdown / exit is killed
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, SHUTDOWN_DEADLINE_MS))]);
        void connection.sendNotification('exit');
      } catch {
        /* already gone */
      }
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      const killTimer = setTimeout(() => child.kill('SIGKILL'), EXIT_DEADLINE_MS);
      await exited;
      clearTimeout(killTimer);
      connection.dispose();
    },
  };
  return client;
}
