/**
 * ContainerEngine: a small client of the Docker Engine API (v1.41 and later; Podman's
 * Docker-compatible API too) over a unix socket or plain tcp, with node:http only.
 *
 * Used by the ECS driver (drivers/ecs) and by the Kubernetes-Jobs-on-containers driver.
 * Every method throws EngineUnavailableError when nothing answers at the endpoint and
 * EngineError (with the HTTP status) when the engine refuses a request.
 */
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { engineHelp, resolveEndpoint, type EngineEndpoint, type EndpointOptions } from './endpoint';
import { LogDemuxer, type LogStreamName } from './logStream';
import { ProblemError } from '../../problems';

/** The engine could not be reached (no socket, connection refused, permission denied). */
export class EngineUnavailableError extends Error {
  /** Step Functions-style error name the drivers raise for this condition. */
  static readonly errorName = 'AslWorkbench.EngineUnavailable';
  constructor(
    public readonly endpoint: EngineEndpoint,
    public readonly reason: string,
  ) {
    super(`${reason}. ${engineHelp(endpoint)}`);
    this.name = 'EngineUnavailableError';
  }

  /** The task failure a driver raises for it: AslWorkbench.EngineUnavailable, with the typed problem. */
  toStatesError(): ProblemError {
    return new ProblemError(EngineUnavailableError.errorName, this.message, {
      kind: 'engineUnavailable',
      endpoint: this.endpoint.label,
    });
  }
}

/** The engine answered with an error status. */
export class EngineError extends Error {
  constructor(
    public readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Body of POST /containers/create (the subset asl-workbench uses; Docker's field names). */
export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  /** "NAME=value" entries */
  Env?: string[];
  WorkingDir?: string;
  /** container host name (Jobs on containers: the pod name, as in Kubernetes) */
  Hostname?: string;
  User?: string;
  Labels?: Record<string, string>;
  Tty?: boolean;
  StopTimeout?: number;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  HostConfig?: {
    NetworkMode?: string;
    /** e.g. "host.docker.internal:host-gateway" */
    ExtraHosts?: string[];
    NanoCpus?: number;
    /** bytes */
    Memory?: number;
    MemoryReservation?: number;
    AutoRemove?: boolean;
    Binds?: string[];
  };
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[] }> };
}

/** The parts of GET /containers/{id}/json the drivers read. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Image: string;
  Config: { Image: string; Labels?: Record<string, string> | null };
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    Error?: string;
    StartedAt?: string;
    FinishedAt?: string;
    OOMKilled?: boolean;
    Health?: { Status: string };
  };
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string; Gateway?: string }> };
}

/** An entry of GET /containers/json. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  State: string;
  Labels: Record<string, string>;
}

/** An entry of GET /networks. */
export interface NetworkSummary {
  Id: string;
  Name: string;
  Labels: Record<string, string>;
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> };
}

interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** ms; none by default (wait/logs are long polls) */
  timeoutMs?: number;
}

/** Client of one engine endpoint. Cheap to create; `close()` frees pooled sockets. */
export class ContainerEngine {
  readonly endpoint: EngineEndpoint;
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(opts: EndpointOptions & { endpoint?: EngineEndpoint } = {}) {
    this.endpoint = opts.endpoint ?? resolveEndpoint(opts);
  }

  /** Release pooled keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** Resolves when the engine answers /_ping; throws EngineUnavailableError otherwise. */
  async ping(timeoutMs = 3000): Promise<void> {
    const r = await this.request('GET', '/_ping', { timeoutMs });
    if (r.status !== 200)
      throw new EngineUnavailableError(this.endpoint, `engine answered /_ping with HTTP ${r.status}`);
  }

  /** GET /version (Version, ApiVersion, Os, Arch, Components[] — Podman names itself there). */
  async version(): Promise<{ Version: string; ApiVersion: string; Os?: string; Components?: Array<{ Name: string }> }> {
    return this.json('GET', '/version', { timeoutMs: 5000 });
  }

  /** Image metadata, or undefined when the image is not present locally. */
  async inspectImage(image: string): Promise<{ Id: string; RepoDigests?: string[] } | undefined> {
    const r = await this.request('GET', `/images/${encodeURIComponent(image)}/json`, { timeoutMs: 10000 });
    if (r.status === 404) return undefined;
    return this.check(r) as { Id: string; RepoDigests?: string[] };
  }

  /** True when the image is present locally. */
  async imageExists(image: string): Promise<boolean> {
    return (await this.inspectImage(image)) !== undefined;
  }

  /**
   * Pull an image once (POST /images/create). The engine reports pull errors inside the
   * progress stream, so the stream is read to the end and its last error is thrown.
   */
  async pullImage(image: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    const at = image.lastIndexOf(':');
    const hasTag = at > image.lastIndexOf('/') && !image.includes('@');
    const query = hasTag ? { fromImage: image.slice(0, at), tag: image.slice(at + 1) } : { fromImage: image };
    const r = await this.request('POST', '/images/create', {
      query,
      timeoutMs: opts.timeoutMs ?? 30000,
      signal: opts.signal,
    });
    const text = r.body.toString('utf8');
    if (r.status >= 400) throw new EngineError(r.status, messageOf(text));
    const lines = text.split('\n').filter(Boolean);
    for (const l of lines) {
      try {
        const o = JSON.parse(l) as { error?: string; message?: string };
        if (o.error) throw new EngineError(500, o.error);
      } catch (e) {
        if (e instanceof EngineError) throw e;
      }
    }
  }

  /** Create a bridge network with labels; returns its id. */
  async createNetwork(name: string, labels: Record<string, string>): Promise<string> {
    const r = await this.json<{ Id: string }>('POST', '/networks/create', {
      body: { Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels },
      timeoutMs: 30000,
    });
    return r.Id;
  }

  /** Network details (IPAM.Config[0].Gateway is the address containers reach the host by). */
  async inspectNetwork(id: string): Promise<NetworkSummary> {
    return this.json('GET', `/networks/${encodeURIComponent(id)}`, { timeoutMs: 10000 });
  }

  /** Remove a network; a network that is already gone is not an error. */
  async removeNetwork(id: string): Promise<void> {
    const r = await this.request('DELETE', `/networks/${encodeURIComponent(id)}`, { timeoutMs: 30000 });
    if (r.status !== 404) this.check(r);
  }

  /** Networks carrying all the given label filters ("key=value" or "key"). */
  async listNetworks(labelFilters: string[]): Promise<NetworkSummary[]> {
    return this.json('GET', '/networks', {
      query: { filters: JSON.stringify({ label: labelFilters }) },
      timeoutMs: 10000,
    });
  }

  /** Create a container (not started); returns its id. A missing image gives EngineError 404. */
  async createContainer(body: ContainerCreateBody, name?: string): Promise<string> {
    const r = await this.json<{ Id: string }>('POST', '/containers/create', {
      query: { name },
      body: { ...body, HostConfig: { AutoRemove: false, ...body.HostConfig } },
      timeoutMs: 30000,
    });
    return r.Id;
  }

  /** Start a created container (a container already running is not an error). */
  async startContainer(id: string): Promise<void> {
    const r = await this.request('POST', `/containers/${encodeURIComponent(id)}/start`, { timeoutMs: 60000 });
    if (r.status !== 304) this.check(r);
  }

  /**
   * Wait until the container stops; resolves with its exit code. Call after start (or use
   * condition 'next-exit' before starting). Aborting the signal ends the wait, not the container.
   */
  async waitContainer(
    id: string,
    opts: { signal?: AbortSignal; condition?: 'not-running' | 'next-exit' } = {},
  ): Promise<number> {
    const r = await this.json<{ StatusCode: number; Error?: { Message?: string } | null }>(
      'POST',
      `/containers/${encodeURIComponent(id)}/wait`,
      { query: { condition: opts.condition ?? 'not-running' }, signal: opts.signal },
    );
    return r.StatusCode;
  }

  /** Stop (SIGTERM, then SIGKILL after `timeoutSeconds`); a stopped or missing container is fine. */
  async stopContainer(id: string, timeoutSeconds = 10): Promise<void> {
    const r = await this.request('POST', `/containers/${encodeURIComponent(id)}/stop`, {
      query: { t: timeoutSeconds },
      timeoutMs: (timeoutSeconds + 30) * 1000,
    });
    if (r.status !== 304 && r.status !== 404) this.check(r);
  }

  /** Remove a container (force kills a running one) with its anonymous volumes; missing is fine. */
  async removeContainer(id: string, force = true): Promise<void> {
    const r = await this.request('DELETE', `/containers/${encodeURIComponent(id)}`, {
      query: { force, v: true },
      timeoutMs: 60000,
    });
    if (r.status === 409 && /already in progress/i.test(r.body.toString())) {
      // another caller (abort handler, disposeExecution, a sweep) is removing it: resolve only
      // once it is gone, so "removed" means removed for every caller
      const end = Date.now() + 60000;
      while ((await this.inspectContainer(id)) !== undefined) {
        if (Date.now() > end) throw new EngineError(409, `container ${id} is still being removed after 60 s`);
        await new Promise((res) => setTimeout(res, 50));
      }
      return;
    }
    if (r.status !== 404) this.check(r);
  }

  /** GET /containers/{id}/json, or undefined when the container does not exist. */
  async inspectContainer(id: string): Promise<ContainerInspect | undefined> {
    const r = await this.request('GET', `/containers/${encodeURIComponent(id)}/json`, { timeoutMs: 10000 });
    if (r.status === 404) return undefined;
    return this.check(r) as ContainerInspect;
  }

  /** Containers (running or not) carrying all the given label filters. */
  async listContainers(labelFilters: string[]): Promise<ContainerSummary[]> {
    return this.json('GET', '/containers/json', {
      query: { all: true, filters: JSON.stringify({ label: labelFilters }) },
      timeoutMs: 10000,
    });
  }

  /**
   * Follow a container's output and call `onLine` per complete line (stdout and stderr
   * demultiplexed). Resolves when the stream ends (container stopped) or the signal aborts.
   */
  async streamLogs(
    id: string,
    onLine: (line: string, stream: LogStreamName) => void,
    opts: { signal?: AbortSignal; tty?: boolean; since?: number } = {},
  ): Promise<void> {
    const res = await this.open('GET', `/containers/${encodeURIComponent(id)}/logs`, {
      query: { follow: true, stdout: true, stderr: true, since: opts.since },
      signal: opts.signal,
    });
    if ((res.statusCode ?? 500) >= 400) {
      const body = await readAll(res);
      throw new EngineError(res.statusCode ?? 500, messageOf(body.toString('utf8')));
    }
    const demux = new LogDemuxer(onLine, opts.tty ?? false);
    await new Promise<void>((resolve) => {
      const done = () => {
        demux.end();
        resolve();
      };
      res.on('data', (c: Buffer) => demux.push(c));
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
  }

  // ------------------------------------------------------------------ transport

  private async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    return this.check(await this.request(method, path, opts)) as T;
  }

  private check(r: { status: number; body: Buffer }): unknown {
    const text = r.body.toString('utf8');
    if (r.status >= 400) throw new EngineError(r.status, messageOf(text) || `HTTP ${r.status}`);
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  private async request(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<{ status: number; body: Buffer }> {
    const res = await this.open(method, path, opts);
    return { status: res.statusCode ?? 500, body: await readAll(res) };
  }

  private open(method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const fullPath = qs.size ? `${path}?${qs}` : path;
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const ep = this.endpoint;
    if (ep.kind === 'unix' && ep.unsupported)
      return Promise.reject(new EngineUnavailableError(ep, 'unsupported engine address'));
    const target = ep.kind === 'unix' ? { socketPath: ep.socketPath } : { host: ep.host, port: ep.port };
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = http.request(
        {
          ...target,
          method,
          path: fullPath,
          agent: this.agent,
          signal: opts.signal,
          headers: {
            Host: 'docker',
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
          },
        },
        resolve,
      );
      if (opts.timeoutMs) {
        req.setTimeout(opts.timeoutMs, () =>
          req.destroy(new Error(`engine request ${method} ${path} timed out after ${opts.timeoutMs} ms`)),
        );
      }
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.name === 'AbortError') return reject(err);
        if (
          ['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND'].includes(
            err.code ?? '',
          )
        ) {
          const why =
            err.code === 'EACCES' || err.code === 'EPERM'
              ? `permission denied on ${ep.label} (add your user to the "docker" group, or use sudo)`
              : `cannot connect to ${ep.label} (${err.code})`;
          return reject(new EngineUnavailableError(ep, why));
        }
        if (/timed out/.test(err.message) && path === '/_ping')
          return reject(new EngineUnavailableError(ep, err.message));
        reject(err);
      });
      req.end(payload);
    });
  }
}

/** The outcome of `probeEngine`: where the engine was looked for and whether it answered. */
export interface EngineProbe {
  endpoint: EngineEndpoint;
  reachable: boolean;
  /** why it is not reachable, with how to fix it */
  reason?: string;
}

/**
 * Whether an engine answers /_ping at the endpoint the options resolve to (the endpoint the
 * drivers would use). Never throws.
 */
export async function probeEngine(opts: EndpointOptions = {}, timeoutMs = 1500): Promise<EngineProbe> {
  const engine = new ContainerEngine(opts);
  try {
    await engine.ping(timeoutMs);
    return { endpoint: engine.endpoint, reachable: true };
  } catch (e) {
    return { endpoint: engine.endpoint, reachable: false, reason: (e as Error).message };
  } finally {
    engine.close();
  }
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

function messageOf(text: string): string {
  try {
    const o = JSON.parse(text) as { message?: string };
    if (o && typeof o.message === 'string') return o.message;
  } catch {
    /* not JSON */
  }
  return text.trim();
}
