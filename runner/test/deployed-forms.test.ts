/**
 * Forms that deployed machines use and Step Functions accepts, run locally the same way:
 * unquoted words in JSONPath filters (compared as strings), custom `States.` error names
 * thrown by a Fail state and caught by name, and `${Name}` definition-substitution
 * placeholders filled in from the run config's `substitutions`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { manualClock, runExecution, startExecution } from '../src/api';
import { substitutionsFor } from '../../asl/src/runConfig';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

describe('forms of deployed machines', () => {
  it('compares an unquoted filter word as a string (parallel-translate selects its translations so)', async () => {
    const definition = {
      StartAt: 'Parse',
      States: {
        Parse: {
          Type: 'Pass',
          Parameters: {
            'toSpanish.$': '$[?(@.TargetLanguageCode==es)].TranslatedText',
            'toFrench.$': "$[?(@.TargetLanguageCode=='fr')].TranslatedText",
          },
          End: true,
        },
      },
    };
    const input = [
      { TargetLanguageCode: 'es', TranslatedText: 'hola' },
      { TargetLanguageCode: 'fr', TranslatedText: 'bonjour' },
    ];
    const r = await runExecution({ definition, input });
    assert.equal(r.status, 'SUCCEEDED');
    assert.deepEqual(r.output, { toSpanish: ['hola'], toFrench: ['bonjour'] });
  });

  it('catches a custom States.QuorumMet error thrown by a Fail state in a branch', async () => {
    const definition = {
      StartAt: 'Vote',
      States: {
        Vote: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Met', States: { Met: { Type: 'Fail', Error: 'States.QuorumMet', Cause: 'enough votes' } } },
          ],
          Catch: [{ ErrorEquals: ['States.QuorumMet'], ResultPath: '$.quorum', Next: 'Done' }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };
    const r = await runExecution({ definition, input: {} });
    assert.equal(r.status, 'SUCCEEDED');
    assert.deepEqual(r.output, { quorum: { Error: 'States.QuorumMet', Cause: 'enough votes' } });
  });

  it("puts the run config's substitutions into ${Name} placeholders: whole values keep their type", async () => {
    const definition = {
      StartAt: 'Remind',
      States: {
        Remind: { Type: 'Wait', Seconds: '${ReminderTimeout}', Next: 'Store' },
        Store: {
          Type: 'Pass',
          Result: {
            table: '${TableName}',
            arn: 'arn:aws:dynamodb:${Region}:123456789012:table/${TableName}',
            other: '${Unknown}',
          },
          End: true,
        },
      },
    };
    const clock = manualClock(Date.UTC(2026, 0, 1));
    const run = startExecution({
      definition,
      clock,
      drivers: [],
      config: { substitutions: { ReminderTimeout: 30, TableName: 'orders', Region: 'eu-west-1' } },
    });
    await waitFor(() => clock.pending() > 0);
    clock.advance(29_000);
    assert.equal(run.status(), 'RUNNING');
    clock.advance(1_000);
    const r = await run.result;
    assert.equal(r.status, 'SUCCEEDED');
    assert.deepEqual(r.output, {
      table: 'orders',
      arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
      other: '${Unknown}',
    });
    assert.equal(r.history.at(-1)!.timestamp.toISOString(), '2026-01-01T00:00:30.000Z');
  });

  it("reads the substitutions of the run config next to the machine, and sees the file's changes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-subs-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{}');
      const machine = path.join(dir, 'm.asl.json');
      const config = path.join(dir, 'asl-workbench.run.json');
      assert.equal(substitutionsFor(machine, { fs, path }), undefined);
      fs.writeFileSync(config, JSON.stringify({ substitutions: { A: 1, B: 'x', C: true, D: { no: 1 } } }));
      assert.deepEqual(substitutionsFor(machine, { fs, path }), { values: { A: 1, B: 'x', C: true }, file: config });
      fs.writeFileSync(config, JSON.stringify({ substitutions: { A: 2 } }));
      const later = new Date(Date.now() + 5000);
      fs.utimesSync(config, later, later);
      assert.deepEqual(substitutionsFor(machine, { fs, path })?.values, { A: 2 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
