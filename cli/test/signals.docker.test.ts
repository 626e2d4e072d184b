/**
 * `asl-workbench run` as a real process against the real engine: Ctrl-C / SIGTERM abort the
 * execution (ABORTED) and remove its containers and network before the process exits; a second
 * Ctrl-C or SIGKILL quits at once and leaves at most labelled objects that the next run or
 * `clean` removes. The machine is examples/ecs-wait-for-task-token with a run config whose worker
 * holds the token (never calls back), so the signal always lands mid-task.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { main as clean } from '../src/clean';
import { ContainerEngine } from '../../runner/src/drivers/docker/engine';
import { LABELS, managedFilter } from '../../runner/src/drivers/docker/labels';
import { ensureDocker, ROOT } from '../../runner/test/ecs-helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const engine = new ContainerEngine();

// Every process that runs a task sweeps orphans of its host on first use, and Docker test files
// run concurrently: a SIGKILLed run's leftovers could vanish before this file looks at them. This
// process and its CLI children act as runners on a host of their own (labels and orphan checks
// both read os.hostname()), so only their own sweeps and `clean` calls remove those objects.
const HOST = `asl-signals-test-${process.pid}`;
os.hostname = () => HOST;
const PRIVATE_HOST = path.join(__dirname, 'fixtures', 'signals', 'private-host.mjs');
const TOKEN_EXAMPLE = path.join(ROOT, 'examples', 'ecs-wait-for-task-token');
const SYNC_EXAMPLE = path.join(ROOT, 'examples', 'ecs-run-task-sync');
const SLOW_CONFIG = path.join(__dirname, 'fixtures', 'signals', 'asl-workbench.run.json');

interface Cli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `asl-workbench run <args>` from the sources (the same code as dist/cli.js). */
function cli(args: string[]): Cli {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      pathToFileURL(PRIVATE_HOST).href,
      path.join(ROOT, 'cli/src/main.ts'),
      'run',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ASL_TEST_RUNNER_HOST: HOST } },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** The token example with the never-calling-back worker. */
function tokenRun(): Cli {
  return cli([
    path.join(TOKEN_EXAMPLE, 'state-machine.asl.json'),
    '--input',
    path.join(TOKEN_EXAMPLE, 'input.json'),
    '--config',
    SLOW_CONFIG,
    '--json',
  ]);
}

/** Containers and networks labelled with runner process `pid` (of this file's private host). */
async function objectsOf(pid: number): Promise<{ containers: string[]; networks: string[] }> {
  const filters = [managedFilter(), `${LABELS.runnerPid}=${pid}`, `${LABELS.runnerHost}=${HOST}`];
  const containers = (await engine.listContainers(filters)).map((c) => c.Id);
  const networks = (await engine.listNetworks(filters)).map((n) => n.Id);
  return { containers, networks };
}

/** Waits (with a deadline) until the run's worker container is running, i.e. the task is mid-flight. */
async function untilRunning(run: Cli): Promise<void> {
  const pid = run.child.pid!;
  const state = await waitFor(
    async () => {
      if (run.child.exitCode !== null) return 'exited';
      const c = await engine.listContainers([
        managedFilter(),
        `${LABELS.runnerPid}=${pid}`,
        `${LABELS.runnerHost}=${HOST}`,
      ]);
      return c.some((x) => x.State === 'running') && run.stderr().includes('holding the task token') && 'running';
    },
    { deadlineMs: 60_000, intervalMs: 100, message: 'the worker container to run' },
  );
  if (state === 'exited') throw new Error(`the CLI exited early:\n${run.stderr()}`);
}

/** The child's exit, or a rejection naming `what` when it has not exited within 60 s. */
function exitOf(run: Cli, what: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void run.exited.then((e) => (exit = e));
  return waitFor(() => exit, { deadlineMs: 60_000, message: `the CLI to exit after ${what}` }).catch((err: Error) => {
    throw new Error(`${err.message}:\n${run.stderr()}`);
  });
}

/** Ends a child that is still alive when a test failed (never leaves a runner behind). */
function reap(run: Cli): void {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
}

describe('asl-workbench run and signals (real containers)', () => {
  const spawned: Cli[] = [];
  before(() => ensureDocker());
  after(async () => {
    for (const r of spawned) reap(r);
    await Promise.all(spawned.map((r) => r.exited));
    // whatever a failed test left (the children are gone now, so these are orphans)
    const left = await Promise.all(spawned.map((r) => objectsOf(r.child.pid!)));
    if (left.some((l) => l.containers.length || l.networks.length)) await clean([]);
    engine.close();
    assert.deepEqual(
      left.flatMap((l) => [...l.containers, ...l.networks]),
      [],
      'the runs of this file left containers or networks',
    );
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} aborts the execution (ABORTED) and removes its containers and network before exiting`, async () => {
      const run = tokenRun();
      spawned.push(run);
      await untilRunning(run);
      const pid = run.child.pid!;
      const during = await objectsOf(pid);
      assert.equal(during.containers.length, 1);
      assert.equal(during.networks.length, 1, 'a task that gets the callback endpoint has its own network');
      run.child.kill(signal);
      const end = await exitOf(run, signal);
      assert.deepEqual(end, { code: 1, signal: null }, run.stderr());
      assert.deepEqual(JSON.parse(run.stdout()), { status: 'ABORTED' });
      assert.match(run.stderr(), new RegExp(`run: ${signal}: stopping the execution and removing its containers`));
      assert.deepEqual(await objectsOf(pid), { containers: [], networks: [] }, 'removed before the process exited');
    });
  }

  it('a second Ctrl-C quits at once; `clean` removes whatever the interrupted clean-up left', async () => {
    const run = tokenRun();
    spawned.push(run);
    await untilRunning(run);
    const pid = run.child.pid!;
    const during = await objectsOf(pid);
    assert.equal(during.containers.length + during.networks.length, 2);
    // the second Ctrl-C lands while the first one's clean-up is in flight
    const firstHandled = new Promise<void>((resolve) => {
      const onData = () => {
        if (!run.stderr().includes('run: SIGINT: stopping the execution')) return;
        run.child.stderr!.off('data', onData);
        resolve();
      };
      run.child.stderr!.on('data', onData);
    });
    run.child.kill('SIGINT');
    await firstHandled;
    run.child.kill('SIGINT');
    const end = await exitOf(run, 'the second SIGINT');
    assert.deepEqual(end, { code: null, signal: 'SIGINT' }, 'killed by the second Ctrl-C, not after the clean-up');
    assert.equal(run.stdout(), '', 'no result is printed');
    assert.equal(await clean(['--json']), 0);
    assert.deepEqual(await objectsOf(pid), { containers: [], networks: [] });
  });

  it('SIGKILL leaves the containers; the next run removes them as leftovers of a crashed run', async () => {
    const run = tokenRun();
    spawned.push(run);
    await untilRunning(run);
    const pid = run.child.pid!;
    run.child.kill('SIGKILL');
    assert.equal((await run.exited).signal, 'SIGKILL');
    const left = await objectsOf(pid);
    assert.equal(left.containers.length, 1, 'a crashed runner cannot clean up');
    assert.equal(left.networks.length, 1);

    const next = cli([
      path.join(SYNC_EXAMPLE, 'state-machine.asl.json'),
      '--input',
      path.join(SYNC_EXAMPLE, 'input.json'),
      '--json',
    ]);
    spawned.push(next);
    const end = await next.exited;
    assert.equal(end.code, 0, next.stderr());
    assert.equal((JSON.parse(next.stdout()) as { status: string }).status, 'SUCCEEDED');
    assert.match(next.stderr(), /removed leftovers of crashed runs: 1 container\(s\), 1 network\(s\)/);
    assert.deepEqual(await objectsOf(pid), { containers: [], networks: [] });
  });

  it('SIGKILL leaves the containers; `clean` removes them', async () => {
    const run = tokenRun();
    spawned.push(run);
    await untilRunning(run);
    const pid = run.child.pid!;
    run.child.kill('SIGKILL');
    assert.equal((await run.exited).signal, 'SIGKILL');
    const left = await objectsOf(pid);
    assert.equal(left.containers.length + left.networks.length, 2, 'a crashed runner cannot clean up');
    assert.equal(await clean(['--json']), 0);
    assert.deepEqual(await objectsOf(pid), { containers: [], networks: [] });
  });
});
