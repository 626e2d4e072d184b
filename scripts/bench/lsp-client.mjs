// A small reusable JSON-RPC/LSP client over a spawned `node dist/server.js --stdio`, for
// benchmarks and tests. Speaks real LSP (Content-Length framing via vscode-jsonrpc).
// Waiting is event-driven with deadlines; nothing sleeps a fixed time.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist/server.js');

/**
 * Starts the server and completes initialize/initialized.
 * @param {{ serverPath?: string, settings?: Record<string, unknown>, args?: string[], capabilities?: object }} [opts]
 */
export async function startLspClient(opts = {}) {
  const serverPath = opts.serverPath ?? SERVER_JS;
  const child = spawn(process.execPath, [serverPath, '--stdio', ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const settings = { aslWorkbench: { machineType: 'STANDARD', ...(opts.settings ?? {}) } };
  /** @type {{uri:string, version?:number, diagnostics:any[], at:number}[]} */
  const published = [];
  /** @type {Set<(p:any)=>void>} */
  const diagListeners = new Set();
  const logs = [];
  let exited = false;
  let exitInfo;
  child.on('exit', (code, signal) => {
    exited = true;
    exitInfo = { code, signal };
  });
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    const entry = { ...p, at: performance.now() };
    published.push(entry);
    for (const l of [...diagListeners]) l(entry);
  });
  connection.onNotification('window/logMessage', (p) => logs.push(p));
  connection.onNotification((method) => void method);
  connection.onRequest('workspace/configuration', (p) =>
    (p.items ?? []).map((it) => (it.section ? (settings[it.section] ?? null) : settings)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest((method) => {
    void method;
    return null;
  });
  connection.listen();
  const initializeResult = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        publishDiagnostics: {
          relatedInformation: true,
          versionSupport: true,
          codeDescriptionSupport: true,
          dataSupport: true,
        },
        synchronization: { dynamicRegistration: false },
      },
      ...(opts.capabilities ?? {}),
    },
    initializationOptions: settings,
  });
  connection.sendNotification('initialized', {});

  const client = {
    connection,
    process: child,
    /** the server's InitializeResult (capabilities, serverInfo) */
    initializeResult,
    published,
    logs,
    get stderr() {
      return stderr;
    },
    get exited() {
      return exited ? (exitInfo ?? {}) : undefined;
    },
    /** Sends a request; rejects after timeoutMs. */
    request(method, params, timeoutMs = 30000) {
      return withTimeout(connection.sendRequest(method, params), timeoutMs, `request ${method}`);
    },
    /** Replaces the settings answered to workspace/configuration and notifies the server. */
    setSettings(next) {
      settings.aslWorkbench = { ...settings.aslWorkbench, ...next };
      connection.sendNotification('workspace/didChangeConfiguration', { settings });
    },
    notify(method, params) {
      connection.sendNotification(method, params);
    },
    open(uri, text, languageId = /\.ya?ml$/i.test(uri) ? 'asl-yaml' : 'asl', version = 1) {
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    },
    /** Incremental change: [{range:{start,end}, text}] */
    changeIncremental(uri, version, contentChanges) {
      connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
    },
    changeFull(uri, version, text) {
      connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
    },
    close(uri) {
      connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    /**
     * Resolves with the first publishDiagnostics for `uri` matching `predicate` that arrives
     * after this call (or already arrived, when `includePast`).
     */
    waitForDiagnostics(uri, predicate = () => true, timeoutMs = 30000, includePast = false) {
      if (includePast) {
        const hit = published.find((p) => p.uri === uri && predicate(p));
        if (hit) return Promise.resolve(hit);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          diagListeners.delete(listener);
          reject(
            new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`),
          );
        }, timeoutMs);
        const listener = (p) => {
          if (p.uri === uri && predicate(p)) {
            clearTimeout(timer);
            diagListeners.delete(listener);
            resolve(p);
          }
        };
        diagListeners.add(listener);
      });
    },
    async stop() {
      if (exited) return;
      try {
        await withTimeout(connection.sendRequest('shutdown'), 5000, 'shutdown');
        connection.sendNotification('exit');
      } catch {
        /* fall through to kill */
      }
      await new Promise((resolve) => {
        if (exited) return resolve(undefined);
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(undefined);
        }, 3000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve(undefined);
        });
      });
      connection.dispose();
    },
  };
  return client;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/** LSP position of an offset in a text (UTF-16). */
export function positionAt(text, offset) {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: Math.min(offset, text.length) - lineStart };
}
