/**
 * Finding the container engine, in this order: the run config's `engine.host`, DOCKER_HOST,
 * Docker's socket (rootful, then rootless), Podman's sockets (rootless, then rootful; Podman
 * serves a Docker-compatible API there), Docker Desktop's sockets. The run CLI's mock fallback,
 * both drivers and the VS Code runs (whose settings fill `engine.host`) all resolve here, so
 * they never disagree about which engine there is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalRunConfig } from '../types';

/** How to reach an engine: a unix socket or a tcp host:port (plain HTTP). */
export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string; label: string; unsupported?: boolean }
  | { kind: 'tcp'; host: string; port: number; label: string };

/** What engine to look for ('auto' tries Docker's sockets, then Podman's, then Docker Desktop's). */
export type EngineKind = 'auto' | 'docker' | 'podman';

export interface EndpointOptions {
  kind?: EngineKind;
  /** unix socket path, unix:///path or tcp://host:port; overrides DOCKER_HOST */
  host?: string;
  /** environment to read DOCKER_HOST / XDG_RUNTIME_DIR from (default process.env) */
  env?: NodeJS.ProcessEnv;
  /** directory the system sockets (/var/run, /run) are under: '/' (tests point it elsewhere) */
  root?: string;
  /** home directory holding Docker Desktop's sockets (default: the user's) */
  home?: string;
}

/** The endpoint options a run config asks for. */
export function engineOptions(config: LocalRunConfig | undefined): EndpointOptions {
  return { kind: config?.engine?.kind, host: config?.engine?.host };
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
function candidateSockets(kind: EngineKind, opts: Omit<EndpointOptions, 'kind' | 'host'> = {}): string[] {
  const env = opts.env ?? process.env;
  const root = opts.root ?? '/';
  const home = opts.home ?? os.homedir();
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const runtimeDir =
    env.XDG_RUNTIME_DIR || (uid === undefined ? undefined : path.join(root, 'run', 'user', String(uid)));
  const docker = [path.join(root, 'var', 'run', 'docker.sock')];
  if (runtimeDir) docker.push(path.join(runtimeDir, 'docker.sock'));
  const podman: string[] = [];
  if (runtimeDir) podman.push(path.join(runtimeDir, 'podman', 'podman.sock'));
  podman.push(path.join(root, 'run', 'podman', 'podman.sock'));
  const desktop = [
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
  ];
  const list =
    kind === 'docker' ? [...docker, ...desktop] : kind === 'podman' ? podman : [...docker, ...podman, ...desktop];
  return [...new Set(list)];
}

/**
 * Resolve the endpoint. An explicit host (config, then DOCKER_HOST) wins; otherwise the first
 * existing socket of the kind; otherwise the first candidate (so the error names it).
 */
export function resolveEndpoint(opts: EndpointOptions = {}): EngineEndpoint {
  const env = opts.env ?? process.env;
  const explicit = opts.host || env.DOCKER_HOST;
  if (explicit) {
    const parsed = parseEngineHost(explicit);
    if (parsed) return parsed;
    // ssh://, npipe://, https (TLS) are not spoken here: fail with a clear message, not silently elsewhere
    return { kind: 'unix', socketPath: '', label: explicit, unsupported: true };
  }
  const candidates = candidateSockets(opts.kind ?? 'auto', opts);
  const found = candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
  return { kind: 'unix', socketPath: found, label: `unix://${found}` };
}

/** Hint printed when the engine cannot be reached. */
export function engineHelp(endpoint: EngineEndpoint): string {
  if (endpoint.kind === 'unix' && endpoint.unsupported) {
    return `The engine address "${endpoint.label}" is not supported: use a unix socket (unix:///path or /path) or plain tcp://host:port (no TLS, no ssh://), in DOCKER_HOST, "engine.host" of asl-workbench.run.json or the VS Code setting aslWorkbench.containerEngine.host.`;
  }
  return [
    `No container engine answered at ${endpoint.label}.`,
    'Install Docker or Podman and start it (`sudo systemctl start docker`, or for Podman `systemctl --user start podman.socket`).',
    'For an engine at another address, set DOCKER_HOST (unix:///path/to.sock or tcp://host:2375),',
    '"engine": {"host": …, "kind": "docker"|"podman"} in asl-workbench.run.json, or the VS Code setting aslWorkbench.containerEngine.host.',
    'Without an engine, `run` falls back to the mock config (Step Functions Local format) when one is given.',
  ].join(' ');
}
