/**
 * Run Locally's worker process (client/src/run/execution.ts) with the real runner worker:
 * events stream, the result arrives, stop gives ABORTED, a worker that ignores stop is killed
 * after the deadline, bad options come back as a result instead of an exception.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { WorkerExecution, executionArnOf, type StartSpec } from '../src/run/execution';
import type { EventLike } from '../src/run/overlay';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const workerPath = path.join(root, 'runner', 'src', 'worker.ts');
const fixtures = path.join(import.meta.dirname, 'fixtures', 'run');
const machine = (name: string): string => fs.readFileSync(path.join(fixtures, `${name}.asl.json`), 'utf8');

function spec(over: Partial<StartSpec>): StartSpec {
  return {
    workerPath,
    execArgv: ['--import', 'tsx'],
    definition: machine('overlay-wait'),
    input: {},
    options: { timeScale: 0, name: 'n1', stateMachineName: 'overlay-wait' },
    ...over,
  };
}

describe('worker execution', () => {
  it('streams events and logs, then settles with the result (mock test case from a file path)', async () => {
    const events: EventLike[] = [];
    const x = new WorkerExecution(
      spec({
        definition: machine('overlay-all'),
        options: {
          timeScale: 0,
          name: 'n2',
          stateMachineName: 'overlay-all',
          mockConfig: path.join(fixtures, 'overlay-all.mock-config.json'),
          testCase: 'Default',
        },
      }),
      { onEvent: (e) => events.push(e) },
    );
    x.start();
    const r = await x.result;
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'Handled');
    assert.equal(events[0]!.type, 'ExecutionStarted');
    assert.equal(events.at(-1)!.type, 'ExecutionFailed');
    assert.ok(events.some((e) => e.type === 'TaskFailed'));
    assert.equal(x.running, false);
  });

  it('stops a running execution: ABORTED, worker exited', async () => {
    let entered = false;
    const x = new WorkerExecution(spec({ options: { timeScale: 1, name: 'n3', stateMachineName: 'overlay-wait' } }), {
      onEvent: (e) => (entered ||= e.type === 'WaitStateEntered'),
    });
    x.start();
    await waitFor(() => entered, { message: 'WaitStateEntered' });
    await x.stop();
    const r = await x.result;
    assert.equal(r.status, 'ABORTED');
  });

  it('kills a worker that does not stop before the deadline', async () => {
    // a stand-in worker that accepts the start message and ignores stop
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-run-'));
    const stubborn = path.join(dir, 'stubborn.cjs');
    fs.writeFileSync(
      stubborn,
      "process.on('message', (m) => { if (m.type === 'start') process.send({ type: 'log', line: 'started' }); });\nsetInterval(() => undefined, 1000);\n",
    );
    // a stand-in cleaner that records how it was called
    const cleaner = path.join(dir, 'cleaner.cjs');
    const calledWith = path.join(dir, 'argv.json');
    fs.writeFileSync(
      cleaner,
      `require('node:fs').writeFileSync(${JSON.stringify(calledWith)}, JSON.stringify(process.argv.slice(2)));\n`,
    );
    let started = false;
    const x = new WorkerExecution(
      {
        workerPath: stubborn,
        cleanerPath: cleaner,
        definition: {},
        input: {},
        options: { name: 'n4' },
        stopDeadlineMs: 300,
      },
      { onLog: () => (started = true) },
    );
    x.start();
    await waitFor(() => started, { message: 'the log line' });
    await x.stop();
    const r = await x.result;
    assert.equal(r.status, 'ABORTED');
    assert.match(r.workerProblem ?? '', /killed/);
    assert.deepEqual(JSON.parse(fs.readFileSync(calledWith, 'utf8')), ['clean', '--execution', x.executionArn]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the packaged worker bundle runs the clean command the kill clean-up uses', () => {
    const bundle = path.join(root, 'dist', 'runWorker.js');
    const out = execFileSync(process.execPath, [bundle, 'clean', '--help'], { encoding: 'utf8' });
    assert.match(out, /^usage: asl-workbench clean \[--all \| --execution <arn>\]/);
  });

  it('reports bad start options as a FAILED result, not an exception', async () => {
    const x = new WorkerExecution(
      spec({
        options: {
          name: 'n5',
          stateMachineName: 'overlay-all',
          mockConfig: path.join(fixtures, 'overlay-all.mock-config.json'),
          testCase: 'NoSuchCase',
        },
      }),
    );
    x.start();
    const r = await x.result;
    assert.equal(r.status, 'FAILED');
    assert.match(r.workerProblem ?? '', /NoSuchCase/);
  });

  it('a worker whose parent dies (window closed) stops and exits by itself', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', path.join(fixtures, 'parent.mts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    parent.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const pid = await waitFor(() => Number(/worker (\d+)/.exec(out)?.[1]), { message: 'the worker pid' });
    parent.kill('SIGKILL');
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => !alive(), { message: 'the orphaned worker to exit' });
  });

  it('names the execution like the runner does', () => {
    assert.equal(
      executionArnOf({ name: 'abc', stateMachineName: 'm' }),
      'arn:aws:states:us-east-1:123456789012:execution:m:abc',
    );
  });
});
