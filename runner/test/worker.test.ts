/** dist/runWorker.js protocol: start → events → result; stop → ABORTED (issue 6 worker). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fork } from 'node:child_process';

const worker = path.resolve(import.meta.dirname, '..', 'src', 'worker.ts');

function spawnWorker(): ReturnType<typeof fork> {
  return fork(worker, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}

describe('runWorker', () => {
  it('streams events and sends the result, then exits', async () => {
    const child = spawnWorker();
    const types: string[] = [];
    const result = await new Promise<{ status: string; output: unknown }>((resolve, reject) => {
      child.on('message', (m: { type: string; event?: { type: string }; result?: { status: string; output: unknown } }) => {
        if (m.type === 'event') types.push(m.event!.type);
        if (m.type === 'result') resolve(m.result!);
      });
      child.on('error', reject);
      child.send({ type: 'start', definition: { StartAt: 'P', States: { P: { Type: 'Pass', Result: 7, End: true } } }, input: {}, options: { timeScale: 0 } });
    });
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(result.output, 7);
    assert.deepEqual(types, ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    assert.equal(code, 0);
  });

  it('aborts on a stop message', async () => {
    const child = spawnWorker();
    const result = await new Promise<{ status: string }>((resolve) => {
      child.on('message', (m: { type: string; event?: { type: string }; result?: { status: string } }) => {
        if (m.type === 'event' && m.event!.type === 'WaitStateEntered') child.send({ type: 'stop' });
        if (m.type === 'result') resolve(m.result!);
      });
      child.send({ type: 'start', definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } }, options: { timeScale: 1 } });
    });
    assert.equal(result.status, 'ABORTED');
    await new Promise((r) => child.on('exit', r));
  });
});
