// The LSP client of the tests and benchmarks: starts `node dist/server.js --stdio` and speaks
// real LSP to it (Content-Length framing through vscode-jsonrpc), as VS Code would. Plain
// JavaScript so that benchmarks run it with `node` and tests import it with its types
// (lsp-client.d.mts).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import { waitFor } from './wait.mjs';

export const REPO_ROOT =
  process.env.ASL_REPO_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist/server.js');

/** The folders the bundles in dist/ are built from. */
const SOURCES = ['asl/src', 'server/src', 'runner/src', 'cli/src', 'schemas', 'snippets'];
/** A build lock older than this was left by a killed process. */
const STALE_LOCK_MS = 180_000;
/** How long stop() waits for the answer to `shutdown`, then for the process to exit. */
const SHUTDOWN_DEADLINE_MS = 5_000;
const EXIT_DEADLINE_MS = 3_000;

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCES) walk(path.join(REPO_ROOT, d));
  return newest;
}

const stale = () => !fs.existsSync(SERVER_JS) || fs.statSync(SERVER_JS).mtimeMs < newestSource();

/**
 * Runs scripts/build.mjs unless dist/server.js is newer than every source file, so a test never
 * speaks to an old bundle. Test files run in parallel processes: a lock directory makes the
 * others wait for the one that builds, and then find a fresh bundle.
 */
export async function ensureFreshBuild() {
  if (!stale()) return;
  const lock = path.join(REPO_ROOT, '.asl-tmp/build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  await waitFor(
    () => {
      try {
        fs.mkdirSync(lock);
        return true;
      } catch {
        try {
          if (Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
        } catch {
          /* released meanwhile */
        }
        return false;
      }
    },
    { deadlineMs: STALE_LOCK_MS, intervalMs: 100, message: 'the build lock' },
  );
  try {
    if (!stale()) return;
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** What a client that supports everything the server offers declares. */
const CLIENT_CAPABILITIES = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    applyEdit: true,
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'refactor'] } } },
    rename: { prepareSupport: true },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
    },
  },
};

/**
 * Starts the server (built fresh first, unless `serverPath` names another bundle) and completes
 * initialize/initialized. `settings` is the `aslWorkbench` section the client answers with.
 * @param {{ serverPath?: string, settings?: Record<string, unknown>, args?: string[], capabilities?: object, env?: Record<string, string> }} [opts]
 */
export async function startLspClient(opts = {}) {
  if (!opts.serverPath) await ensureFreshBuild();
  const child = spawn(process.execPath, [opts.serverPath ?? SERVER_JS, '--stdio', ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
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
  /** @type {Set<() => void>} */
  const publishListeners = new Set();
  const logs = [];
  const serverRequests = [];
  let exitInfo;
  child.on('exit', (code, signal) => (exitInfo = { code, signal }));
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    published.push({ ...p, at: performance.now() });
    for (const l of [...publishListeners]) l();
  });
  connection.onNotification('window/logMessage', (p) => logs.push(p));
  connection.onNotification(() => undefined);
  connection.onRequest('workspace/configuration', (p) =>
    (p.items ?? []).map((it) => (it.section ? (settings[it.section] ?? null) : settings)),
  );
  connection.onRequest((method, params) => {
    serverRequests.push({ method, params });
    return method === 'workspace/applyEdit' ? { applied: true } : null;
  });
  connection.listen();
  const initializeResult = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { ...CLIENT_CAPABILITIES, ...(opts.capabilities ?? {}) },
    initializationOptions: settings,
  });
  connection.sendNotification('initialized', {});

  return {
    connection,
    process: child,
    initializeResult,
    published,
    logs,
    serverRequests,
    get stderr() {
      return stderr;
    },
    get exited() {
      return exitInfo;
    },
    request(method, params, timeoutMs = 30_000) {
      return withTimeout(connection.sendRequest(method, params), timeoutMs, `request ${method}`);
    },
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
    waitForDiagnostics(uri, accept = () => true, { deadlineMs = 30_000, includePast = false } = {}) {
      let next = includePast ? 0 : published.length;
      const find = () => {
        for (; next < published.length; next++) {
          const p = published[next];
          if (p.uri === uri && accept(p)) return p;
        }
        return undefined;
      };
      const recheckOn = (listener) => {
        publishListeners.add(listener);
        return { dispose: () => publishListeners.delete(listener) };
      };
      return waitFor(find, { deadlineMs, recheckOn, message: `matching diagnostics for ${uri}` }).catch((err) => {
        throw new Error(`${err.message}; server stderr: ${stderr.slice(-2000)}`);
      });
    },
    async stop() {
      if (exitInfo) return;
      try {
        await withTimeout(connection.sendRequest('shutdown'), SHUTDOWN_DEADLINE_MS, 'shutdown');
        connection.sendNotification('exit');
      } catch {
        /* no answer: the process is killed below */
      }
      await waitFor(() => exitInfo, { deadlineMs: EXIT_DEADLINE_MS, message: 'the server to exit' }).catch(() => {
        child.kill('SIGKILL');
        return waitFor(() => exitInfo, { message: 'the killed server to exit' });
      });
      connection.dispose();
    },
  };
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

/** LSP position (UTF-16) of an offset in a text. */
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
