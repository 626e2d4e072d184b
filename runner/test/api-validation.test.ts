/**
 * The programmatic API applies the one validation policy (asl/src/validation.ts): a
 * definition with errors is refused by default, or run under `validation: 'warn'` after the
 * same message is logged. The message is the one every entry point gives
 * (asl/test/fixtures/validation/invalid.message.txt).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../asl/src/analyze';
import { InvalidDefinitionError } from '../../asl/src/validation';
import { runExecution, startExecution } from '../src/api';

const dir = path.resolve(import.meta.dirname, '../../asl/test/fixtures/validation');
const invalid = fs.readFileSync(path.join(dir, 'invalid.asl.json'), 'utf8');
const expected = fs.readFileSync(path.join(dir, 'invalid.message.txt'), 'utf8').trimEnd();
const refusal = (e: unknown): boolean =>
  e instanceof InvalidDefinitionError && e.name === 'InvalidDefinition' && e.message === expected;

describe('API validation policy', () => {
  it('refuses a definition with errors by default, before the execution starts', async () => {
    const events: string[] = [];
    await assert.rejects(
      runExecution({ definition: invalid, timeScale: 0, drivers: [], onEvent: (e) => events.push(e.type) }),
      refusal,
    );
    assert.throws(() => startExecution({ definition: invalid, timeScale: 0, drivers: [] }), refusal);
    // an object's positions are those of its two-space indented text
    assert.throws(
      () => startExecution({ definition: JSON.parse(invalid), timeScale: 0, drivers: [] }),
      (e: unknown) => e instanceof InvalidDefinitionError && e.errors.map((x) => x.code).join() === 'ASL102,ASL104',
    );
    assert.deepEqual(events, []);
  });

  it('runs it under validation "warn" and logs the same list first', async () => {
    const logs: [string, string | undefined][] = [];
    const r = await runExecution({
      definition: invalid,
      validation: 'warn',
      timeScale: 0,
      drivers: [],
      onLog: (line, source) => logs.push([line, source]),
    });
    assert.deepEqual(
      logs.filter(([, s]) => s === 'validation'),
      [[expected, 'validation']],
    );
    assert.equal(r.history[0]?.type, 'ExecutionStarted');
  });

  it('takes an analysis as it was checked: the same refusal, with its own machine type', async () => {
    await assert.rejects(runExecution({ definition: analyze(invalid, 'json'), timeScale: 0, drivers: [] }), refusal);
    const sync = JSON.stringify({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::ecs:runTask.sync',
          Parameters: { TaskDefinition: 't' },
          End: true,
        },
      },
    });
    assert.throws(
      () => startExecution({ definition: sync, machineType: 'EXPRESS', drivers: [] }),
      (e: unknown) =>
        e instanceof InvalidDefinitionError && /^The definition has 1 error:\n {2}1:\d+ [A-Z]+\d+ /.test(e.message),
    );
  });
});
