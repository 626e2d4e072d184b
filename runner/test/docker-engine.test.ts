/** Engine client pieces that need no Docker: endpoint resolution, log demultiplexing, errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatesError } from '../../asl/src/types';
import { candidateSockets, parseEngineHost, resolveEndpoint } from '../src/drivers/docker/endpoint';
import { ContainerEngine, EngineUnavailableError } from '../src/drivers/docker/engine';
import { LogDemuxer } from '../src/drivers/docker/logStream';
import { LABELS, safeName, taskContainerName } from '../src/drivers/docker/labels';
import { EcsDockerDriver } from '../src/drivers/ecs/driver';
import { invocation } from './ecs-helpers';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
}

describe('engine endpoint resolution', () => {
  it('parses unix and tcp hosts', () => {
    assert.deepEqual(parseEngineHost('unix:///run/podman/podman.sock'), {
      kind: 'unix',
      socketPath: '/run/podman/podman.sock',
      label: 'unix:///run/podman/podman.sock',
    });
    assert.deepEqual(parseEngineHost('/var/run/docker.sock')?.kind, 'unix');
    assert.deepEqual(parseEngineHost('tcp://10.0.0.5:2375'), {
      kind: 'tcp',
      host: '10.0.0.5',
      port: 2375,
      label: 'tcp://10.0.0.5:2375',
    });
    assert.equal(
      parseEngineHost('tcp://dockerhost')?.kind === 'tcp' &&
        (parseEngineHost('tcp://dockerhost') as { port: number }).port,
      2375,
    );
    assert.equal(parseEngineHost('npipe:////./pipe/docker_engine'), undefined);
  });

  it('config host wins over DOCKER_HOST, which wins over sockets', () => {
    const env = { DOCKER_HOST: 'tcp://1.2.3.4:2375' };
    assert.equal(resolveEndpoint({ host: '/tmp/x.sock', env }).label, 'unix:///tmp/x.sock');
    assert.equal(resolveEndpoint({ env }).label, 'tcp://1.2.3.4:2375');
  });

  it('refuses unsupported addresses with a clear message instead of using another engine', async () => {
    const e = new ContainerEngine({ env: { DOCKER_HOST: 'ssh://me@build-host' } });
    await assert.rejects(
      e.ping(),
      (err: Error) => err instanceof EngineUnavailableError && /not supported/.test(err.message),
    );
    e.close();
  });

  it('finds Podman sockets for kind podman and auto', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    assert.equal(candidateSockets('podman', env)[0], '/run/user/1000/podman/podman.sock');
    const ep = resolveEndpoint({ kind: 'auto', env, exists: (p) => p === '/run/podman/podman.sock' });
    assert.equal(ep.label, 'unix:///run/podman/podman.sock');
    assert.equal(resolveEndpoint({ kind: 'docker', env, exists: () => false }).label, 'unix:///var/run/docker.sock');
  });
});

describe('log demultiplexing', () => {
  it('splits frames into lines per stream, across chunk boundaries', () => {
    const lines: string[] = [];
    const d = new LogDemuxer((l, s) => lines.push(`${s}:${l}`));
    const all = Buffer.concat([frame(1, 'hel'), frame(1, 'lo\nwor'), frame(2, 'oops\n'), frame(1, 'ld\r\nlast')]);
    for (let i = 0; i < all.length; i += 5) d.push(all.subarray(i, i + 5));
    d.end();
    assert.deepEqual(lines, ['stdout:hello', 'stderr:oops', 'stdout:world', 'stdout:last']);
  });

  it('passes raw (TTY) streams through', () => {
    const lines: string[] = [];
    const d = new LogDemuxer((l) => lines.push(l), true);
    d.push(Buffer.from('a\nb'));
    d.end();
    assert.deepEqual(lines, ['a', 'b']);
  });
});

describe('names and labels', () => {
  it('builds engine-safe names', () => {
    assert.equal(safeName('my container/1'), 'my-container-1');
    assert.equal(taskContainerName('0123456789abcdef0123', 'web'), 'asl-wb-0123456789ab-web');
    assert.ok(LABELS.execution.startsWith('dev.asl-workbench.'));
  });
});

describe('unreachable engine', () => {
  it('ContainerEngine.ping throws EngineUnavailableError with how to fix it', async () => {
    const e = new ContainerEngine({ host: '/nonexistent/docker.sock' });
    await assert.rejects(e.ping(), (err: Error) => {
      assert.ok(err instanceof EngineUnavailableError);
      assert.match(err.message, /setup-docker\.sh/);
      assert.match(err.message, /DOCKER_HOST/);
      return true;
    });
    e.close();
  });

  it('the ECS driver fails the state with AslWorkbench.EngineUnavailable', async () => {
    const driver = new EcsDockerDriver({ engine: new ContainerEngine({ host: 'unix:///nonexistent/docker.sock' }) });
    const { inv } = invocation({ pattern: 'sync', parameters: { TaskDefinition: 'echo-task' } });
    await assert.rejects(driver.invoke(inv), (err: StatesError) => {
      assert.equal(err.error, 'AslWorkbench.EngineUnavailable');
      assert.match(err.cause, /nonexistent/);
      return true;
    });
  });
});
