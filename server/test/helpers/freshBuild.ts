/** Builds dist/ when the server bundle is missing or older than its sources (LSP and fuzz tests). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SERVER_JS } from '../../../scripts/bench/lsp-client.mjs';

/** Newest mtime under the folders the server bundle is built from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of ['server/src', 'asl/src', 'runner/src', 'schemas', 'snippets']) walk(path.join(REPO_ROOT, d));
  return newest;
}

function stale(): boolean {
  return !fs.existsSync(SERVER_JS) || fs.statSync(SERVER_JS).mtimeMs < newestSource();
}

/** Blocks the thread for `ms` (used only while another test process holds the build lock). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs scripts/build.mjs unless dist/server.js is newer than every source file. Test files run
 * in parallel processes, so the build is guarded by a lock directory: the others wait for it
 * (with a deadline) and then see a fresh bundle.
 */
export function ensureFreshBuild(): void {
  if (!stale()) return;
  const lock = path.join(REPO_ROOT, '.asl-tmp/build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed process is considered stale after 3 minutes
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for the build lock');
      pause(100);
    }
  }
  try {
    if (!stale()) return;
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `build failed: ${r.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
