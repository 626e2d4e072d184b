/**
 * `${Name}` definition-substitution placeholders over the real LSP connection: without a
 * value a placeholder in a number position is information, not a type error; with the run
 * config's `substitutions` (asl-workbench.run.json next to the machine) the value is
 * type-checked, and editing the run config revalidates open documents.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';

const MACHINE = JSON.stringify(
  {
    StartAt: 'Remind',
    States: { Remind: { Type: 'Wait', Seconds: '${ReminderTimeout}', End: true } },
  },
  null,
  2,
);

describe('definition substitutions in the editor', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-lsp-subs-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    client = await startLspClient();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports an unknown placeholder as information, then checks the value the run config gives', async () => {
    const file = path.join(dir, 'reminder.asl.json');
    fs.writeFileSync(file, MACHINE);
    const uri = pathToFileURL(file).href;
    const opened = client.waitForDiagnostics(uri, (p) => p.version === 1);
    client.open(uri, MACHINE);
    const first = (await opened).diagnostics;
    assert.deepEqual(
      first.map((d) => [d.code, d.severity]),
      [['ASL114', 3]],
    );
    assert.match(
      first[0]!.message,
      /placeholder for the substitution 'ReminderTimeout'.*'Seconds' must be a non-negative integer/,
    );

    const config = path.join(dir, 'asl-workbench.run.json');
    fs.writeFileSync(config, JSON.stringify({ substitutions: { ReminderTimeout: 'soon' } }));
    const revalidated = client.waitForDiagnostics(uri);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 1 }] });
    const second = (await revalidated).diagnostics;
    assert.deepEqual(
      second.map((d) => [d.code, d.severity, d.message]),
      [
        [
          'ASL104',
          1,
          `'Seconds' must be a non-negative integer (with ReminderTimeout = "soon" from asl-workbench.run.json).`,
        ],
      ],
    );

    fs.writeFileSync(config, JSON.stringify({ substitutions: { ReminderTimeout: 300 } }));
    fs.utimesSync(config, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    const clean = client.waitForDiagnostics(uri);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    assert.deepEqual((await clean).diagnostics, []);
  });
});
