/**
 * dist/server.js (server/src/boot.ts) starts the server bundle through V8's code cache when the
 * client gives it a directory: the cache is written after the first start, later starts use it,
 * and a damaged cache file never stops the server (it is replaced).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, ensureFreshBuild, startLspClient } from '../../scripts/test-helpers/lsp-client.mjs';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const MACHINE = fs.readFileSync(path.join(REPO_ROOT, 'examples/ecs-run-task-sync/state-machine.asl.json'), 'utf8');
const broken = MACHINE.replace('"StartAt"', '"startAt"');

const cacheFile = (dir: string): string | undefined =>
  fs.readdirSync(dir).find((f) => f.startsWith('serverMain-') && f.endsWith('.cache'));

/** Starts the server with the cache directory, validates one machine, returns the messages. */
async function diagnosticsWith(dir: string, text: string, keepUntil?: () => boolean): Promise<string[]> {
  const client = await startLspClient({ env: { ASL_WORKBENCH_CODE_CACHE: dir } });
  try {
    const uri = 'file:///boot/machine.asl.json';
    const got = client.waitForDiagnostics(uri, undefined, { deadlineMs: 30_000 });
    client.open(uri, text, 'asl', 1);
    const { diagnostics } = await got;
    if (keepUntil) await waitFor(keepUntil, { deadlineMs: 30_000, message: 'the code cache to be written' });
    return diagnostics.map((d) => `${d.code} ${d.message}`);
  } finally {
    await client.stop();
  }
}

describe('server start through the code cache', () => {
  let dir: string;
  before(async () => {
    await ensureFreshBuild();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-boot-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the cache after the first start and validates the same from it', async () => {
    const first = await diagnosticsWith(dir, broken, () => cacheFile(dir) !== undefined);
    assert.ok(first.length > 0, 'the broken machine has diagnostics');
    const file = cacheFile(dir)!;
    assert.ok(fs.statSync(path.join(dir, file)).size > 100_000, 'the cache holds compiled code');
    const mtime = fs.statSync(path.join(dir, file)).mtimeMs;
    assert.deepEqual(await diagnosticsWith(dir, broken), first);
    assert.equal(fs.statSync(path.join(dir, file)).mtimeMs, mtime, 'an accepted cache is not rewritten');
  });

  it('starts from a damaged cache file and replaces it', async () => {
    const file = path.join(dir, cacheFile(dir) ?? 'serverMain-missing.cache');
    fs.writeFileSync(file, 'not a V8 code cache');
    const diagnostics = await diagnosticsWith(dir, MACHINE, () => {
      const f = cacheFile(dir);
      return !!f && fs.statSync(path.join(dir, f)).size > 100_000;
    });
    assert.ok(Array.isArray(diagnostics));
  });
});
