/**
 * Table-driven interpreter tests: every `fixtures/interpreter/<case>.asl.json` runs with the
 * inputs of `<case>.expected.json` and must end with the expected status, output, error,
 * cause and (when listed) the exact sequence of history event types.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runExecution } from '../src/api';

const dir = path.join(import.meta.dirname, 'fixtures', 'interpreter');

interface Run {
  input: unknown;
  name?: string;
  testCase?: string;
  timeScale?: number;
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  events?: string[];
}

for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.asl.json'))
  .sort()) {
  const name = file.replace(/\.asl\.json$/, '');
  const definition = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const expected = JSON.parse(fs.readFileSync(path.join(dir, `${name}.expected.json`), 'utf8')) as {
    mockConfig?: object;
    timeScale?: number;
    runs: Run[];
  };
  describe(`fixture ${name}`, () => {
    expected.runs.forEach((run, i) => {
      it(`run ${i + 1}: ${run.testCase ?? JSON.stringify(run.input).slice(0, 60)} → ${run.status}`, async () => {
        const r = await runExecution({
          definition,
          // the fixtures test how definitions run, some of them ones the rules refuse (an endless loop for the history limit)
          validation: 'warn',
          input: run.input,
          name: run.name,
          stateMachineName: name,
          mockConfig: expected.mockConfig,
          testCase: run.testCase,
          timeScale: run.timeScale ?? expected.timeScale ?? 0,
          drivers: [],
        });
        assert.equal(r.status, run.status, `${r.error}: ${r.cause}`);
        if ('output' in run) assert.deepEqual(r.output, run.output);
        if (run.error !== undefined) assert.equal(r.error, run.error);
        if (run.cause !== undefined) assert.equal(r.cause, run.cause);
        if (run.events)
          assert.deepEqual(
            r.history.map((e) => e.type),
            run.events,
          );
        r.history.forEach((e, k) => assert.equal(e.id, k + 1));
      });
    });
  });
}
