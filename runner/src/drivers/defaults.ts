/**
 * The drivers `asl-workbench run`, `serve` and the extension use by default. Each driver
 * engineer adds one line here (Docker/ECS, Kubernetes); a driver module that does not exist
 * yet simply has no line.
 */
import { DriverRegistry } from './registry';
import { EcsDockerDriver } from './ecs/driver';
import { EksDriver } from './eks/driver';

/** A registry with every built-in driver registered. */
export function defaultDrivers(): DriverRegistry {
  const registry = new DriverRegistry();
  registry.register('docker-ecs', () => new EcsDockerDriver());
  registry.register('eks', () => new EksDriver());
  return registry;
}

/**
 * True when a container engine answers (used by `run` to fall back to mock-config.json).
 * Drivers may override this by exporting their own probe; the default checks DOCKER_HOST or
 * the usual socket paths.
 */
export async function containerEngineReachable(): Promise<boolean> {
  const fs = await import('node:fs');
  const net = await import('node:net');
  const host = process.env.DOCKER_HOST;
  let socketPath: string | undefined;
  if (host && host.startsWith('unix://')) socketPath = host.slice(7);
  else if (host && host.startsWith('tcp://')) {
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return probe(net, { host: u.hostname, port: Number(u.port || 2375) });
  } else {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    socketPath = ['/var/run/docker.sock', `/run/user/${uid}/docker.sock`, `/run/user/${uid}/podman/podman.sock`, '/run/podman/podman.sock'].find((p) => fs.existsSync(p));
  }
  if (!socketPath) return false;
  return probe(net, { path: socketPath });
}

function probe(net: typeof import('node:net'), opts: { path: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(opts as never);
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
