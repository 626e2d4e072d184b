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
  for (const d of ['server/src', 'asl/src', 'schemas', 'snippets']) walk(path.join(REPO_ROOT, d));
  return newest;
}

/** Runs scripts/build.mjs unless dist/server.js is newer than every source file. */
export function ensureFreshBuild(): void {
  if (fs.existsSync(SERVER_JS) && fs.statSync(SERVER_JS).mtimeMs >= newestSource()) return;
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `build failed: ${r.stderr}`);
}
