/**
 * Finding the container engine: config `engine.host`, then DOCKER_HOST, then the usual
 * sockets of Docker and Podman (Podman serves a Docker-compatible API on its socket).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How to reach an engine: a unix socket or a tcp host:port (plain HTTP). */
export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string; label: string; unsupported?: boolean }
  | { kind: 'tcp'; host: string; port: number; label: string };

/** What engine to look for ('auto' tries Docker's socket first, then Podman's). */
export type EngineKind = 'auto' | 'docker' | 'podman';

export interface EndpointOptions {
  kind?: EngineKind;
  /** unix socket path, unix:///path or tcp://host:port; overrides DOCKER_HOST */
  host?: string;
  /** environment to read DOCKER_HOST / XDG_RUNTIME_DIR from (default process.env) */
  env?: NodeJS.ProcessEnv;
  /** file existence check (tests inject it) */
  exists?: (p: string) => boolean;
}

/** Parse `unix:///path`, `/path`, `tcp://host:port` or `http://host:port`. */
export function parseEngineHost(host: string): EngineEndpoint | undefined {
  const h = host.trim();
  if (h.startsWith('unix://')) return { kind: 'unix', socketPath: h.slice('unix://'.length), label: h };
  if (h.startsWith('/')) return { kind: 'unix', socketPath: h, label: `unix://${h}` };
  const m = /^(?:tcp|http):\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(h);
  if (m) {
    const port = m[2] ? Number(m[2]) : 2375;
    return { kind: 'tcp', host: m[1].replace(/^\[|\]$/g, ''), port, label: `tcp://${m[1]}:${port}` };
  }
  return undefined;
}

/** Candidate socket paths for a kind, in the order they are tried. */
export function candidateSockets(kind: EngineKind, env: NodeJS.ProcessEnv = process.env): string[] {
  const docker = ['/var/run/docker.sock', path.join(os.homedir(), '.docker', 'run', 'docker.sock')];
  const podman: string[] = [];
  if (env.XDG_RUNTIME_DIR) podman.push(path.join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock'));
  podman.push('/run/podman/podman.sock');
  if (typeof process.getuid === 'function') podman.push(`/run/user/${process.getuid()}/podman/podman.sock`);
  const list = kind === 'docker' ? docker : kind === 'podman' ? podman : [...docker, ...podman];
  return [...new Set(list)];
}

/**
 * Resolve the endpoint. An explicit host (config, then DOCKER_HOST) wins; otherwise the first
 * existing socket of the kind; otherwise the default Docker socket (so the error names it).
 */
export function resolveEndpoint(opts: EndpointOptions = {}): EngineEndpoint {
  const env = opts.env ?? process.env;
  const exists = opts.exists ?? ((p: string) => fs.existsSync(p));
  const explicit = opts.host ?? env.DOCKER_HOST;
  if (explicit) {
    const parsed = parseEngineHost(explicit);
    if (parsed) return parsed;
    // ssh://, npipe://, https (TLS) are not spoken here: fail with a clear message, not silently elsewhere
    return { kind: 'unix', socketPath: '', label: explicit, unsupported: true };
  }
  const kind = opts.kind ?? 'auto';
  const candidates = candidateSockets(kind, env);
  const found = candidates.find((c) => exists(c)) ?? candidates[0];
  return { kind: 'unix', socketPath: found, label: `unix://${found}` };
}

/** Hint printed when the engine cannot be reached. */
export function engineHelp(endpoint: EngineEndpoint): string {
  if (endpoint.kind === 'unix' && endpoint.unsupported) {
    return `The engine address "${endpoint.label}" is not supported: use a unix socket (unix:///path or /path) or plain tcp://host:port (no TLS, no ssh://), in DOCKER_HOST or "engine.host" of asl-workbench.run.json.`;
  }
  return [
    `No container engine answered at ${endpoint.label}.`,
    'Start one: `sudo bash scripts/setup-docker.sh` (installs and starts Debian docker.io), or `sudo systemctl start docker`,',
    'or for Podman `systemctl --user start podman.socket`.',
    'Point at another engine with DOCKER_HOST (unix:///path/to.sock or tcp://host:2375) or "engine": {"host": …, "kind": "docker"|"podman"}',
    'in asl-workbench.run.json. Without an engine, `run` falls back to the mock config (Step Functions Local format) when one is given.',
  ].join(' ');
}
