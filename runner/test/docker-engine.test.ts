/** Engine client pieces that need no Docker: endpoint resolution, log demultiplexing, errors. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StatesError } from '../../asl/src/types';
import { engineOptions, parseEngineHost, resolveEndpoint, type EngineKind } from '../src/drivers/docker/endpoint';
import { ContainerEngine, EngineUnavailableError, probeEngine } from '../src/drivers/docker/engine';
import type { LocalRunConfig } from '../src/drivers/types';
import { LogDemuxer } from '../src/drivers/docker/logStream';
import { LABELS, safeName, taskContainerName } from '../src/drivers/docker/labels';
import { EcsDockerDriver } from '../src/drivers/ecs/driver';
import { problemOfError } from '../src/problems';
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
});

/** A stand-in engine on a unix socket: answers /_ping, and nothing else. */
async function fakeEngine(socketPath: string): Promise<http.Server> {
  await fs.promises.mkdir(path.dirname(socketPath), { recursive: true });
  const server = http.createServer((req, res) => {
    res.statusCode = req.url === '/_ping' ? 200 : 404;
    res.end(req.url === '/_ping' ? 'OK' : '');
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return server;
}

describe('engine discovery order', () => {
  let dir: string;
  before(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'asl-engine-'));
  });
  after(async () => {
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('honours the run config host, DOCKER_HOST, then the Docker, Podman and Docker Desktop sockets', async () => {
    const root = path.join(dir, 'order', 'root');
    const home = path.join(dir, 'order', 'home');
    const runtime = path.join(dir, 'order', 'xdg');
    const order = [
      path.join(dir, 'order', 'config.sock'),
      path.join(dir, 'order', 'docker-host.sock'),
      path.join(root, 'var/run/docker.sock'),
      path.join(runtime, 'docker.sock'),
      path.join(runtime, 'podman/podman.sock'),
      path.join(root, 'run/podman/podman.sock'),
      path.join(home, '.docker/run/docker.sock'),
      path.join(home, '.docker/desktop/docker.sock'),
    ];
    const servers = await Promise.all(order.map(fakeEngine));
    const config: LocalRunConfig = { engine: { host: `unix://${order[0]}` } };
    const env = { DOCKER_HOST: `unix://${order[1]}`, XDG_RUNTIME_DIR: runtime };
    try {
      for (const [i, expected] of order.entries()) {
        const probe = await probeEngine({
          ...engineOptions(i === 0 ? config : {}),
          env: i <= 1 ? env : { XDG_RUNTIME_DIR: runtime },
          root,
          home,
        });
        assert.deepEqual([probe.endpoint.label, probe.reachable], [`unix://${expected}`, true], `step ${i}`);
        if (i >= 2) {
          // the engine goes away with its socket: the next one in the order is found
          await new Promise((resolve) => servers[i].close(resolve));
          assert.equal(fs.existsSync(expected), false);
        }
      }
      const none = await probeEngine({ env: { XDG_RUNTIME_DIR: runtime }, root, home });
      assert.equal(none.reachable, false);
      assert.equal(none.endpoint.label, `unix://${order[2]}`);
      assert.match(none.reason ?? '', /No container engine answered at unix:\/\/.*var\/run\/docker\.sock/);
    } finally {
      for (const s of servers) s.close();
    }
  });

  it("an engine kind limits the sockets tried: podman only Podman's, docker Docker's and Docker Desktop's", async () => {
    const root = path.join(dir, 'kind', 'root');
    const home = path.join(dir, 'kind', 'home');
    const podman = path.join(root, 'run/podman/podman.sock');
    const desktop = path.join(home, '.docker/run/docker.sock');
    const servers = await Promise.all([podman, desktop].map(fakeEngine));
    const env = { XDG_RUNTIME_DIR: path.join(dir, 'kind', 'xdg') };
    try {
      const label = async (kind: EngineKind) => (await probeEngine({ kind, env, root, home })).endpoint.label;
      assert.equal(await label('auto'), `unix://${podman}`);
      assert.equal(await label('podman'), `unix://${podman}`);
      assert.equal(await label('docker'), `unix://${desktop}`);
    } finally {
      for (const s of servers) s.close();
    }
  });

  it('an explicit host wins even when nothing answers there, and says so', async () => {
    const probe = await probeEngine({ host: 'tcp://127.0.0.1:1', env: {}, root: dir, home: dir });
    assert.equal(probe.endpoint.label, 'tcp://127.0.0.1:1');
    assert.equal(probe.reachable, false);
    assert.match(probe.reason ?? '', /cannot connect to tcp:\/\/127\.0\.0\.1:1/);
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
      assert.match(err.message, /Install Docker or Podman and start it/);
      assert.match(err.message, /DOCKER_HOST/);
      assert.match(err.message, /aslWorkbench\.containerEngine\.host/);
      // the steps work for a user of the installed extension: no script of this repository
      assert.doesNotMatch(err.message, /scripts\//);
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
      assert.deepEqual(problemOfError(err), { kind: 'engineUnavailable', endpoint: 'unix:///nonexistent/docker.sock' });
      return true;
    });
  });
});
