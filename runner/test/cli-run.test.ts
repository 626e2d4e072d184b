/** `asl-workbench run` end to end in a child process (issue 6 item 6). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFile } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..', '..');
const fx = (f: string): string => path.join(import.meta.dirname, 'fixtures', 'cli', f);

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(root, 'runner/src/cli.ts'), 'run', ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('asl-workbench run', () => {
  it('runs with an explicit mock config and test case; --json prints exactly status and output', async () => {
    const r = await run([fx('hello.asl.json'), '--input', '{"who":"Ann"}', '--mock-config', fx('mock-config.json'), '--test-case', 'Success', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { status: 'SUCCEEDED', output: { greeting: 'Hello, Ann!', job: { stop: 'EssentialContainerExited' } } });
    assert.match(r.stderr, /Greet/);
    assert.match(r.stderr, /Run job/);
  });

  it('exits 1 with error and cause for a failing test case, and --history adds the events', async () => {
    const r = await run([fx('hello.asl.json'), '--input', fx('input.json'), '--mock-config', fx('mock-config.json'), '--test-case', 'Failure', '--json', '--history']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'States.TaskFailed');
    assert.equal(out.cause, '{"StopCode":"TaskFailedToStart"}');
    assert.equal(out.history.at(-1).type, 'ExecutionFailed');
  });

  it('uses mock-config.json next to the machine when no container engine is reachable, with a note', async () => {
    const r = await run([fx('hello.asl.json'), '--input', '{"who":"B"}'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no container engine is reachable; using the mocks of/);
    assert.deepEqual(JSON.parse(r.stdout), { greeting: 'Hello, B!', job: { stop: 'EssentialContainerExited' } });
  });

  it('refuses an invalid machine with the validator diagnostics (exit 2)', async () => {
    const r = await run([fx('invalid.asl.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid\.asl\.json:1:\d+: error [A-Z]+\d+/);
    assert.equal(r.stdout, '');
  });

  it('exits 2 for usage errors and unknown test cases', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run([fx('hello.asl.json'), '--bogus'])).code, 2);
    const r = await run([fx('hello.asl.json'), '--mock-config', fx('mock-config.json'), '--test-case', 'Nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no test case 'Nope'/);
  });
});
