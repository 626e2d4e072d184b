/**
 * A small raw client of one Kubernetes API server, reached through a kubeconfig context.
 * @kubernetes/client-node's KubeConfig loads the file and applies the context's credentials
 * (CA, client certificates, bearer tokens, exec/OIDC plugins); the requests themselves go out
 * with node:http(s) so eks:call can pass any method/path through and the driver sees raw
 * status codes, Status objects and the watch event stream exactly as the server sends them.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

/** Query parameters; a list repeats the key (`QueryParameters` of eks:call is string → list). */
export type KubeQuery = Record<string, string | number | boolean | string[] | undefined>;

/** One HTTP answer of the API server. */
export interface KubeResponse {
  statusCode: number;
  statusText: string;
  /** lower-case header name → values */
  headers: Record<string, string[]>;
  /** parsed JSON, or the text when it is not JSON */
  body: unknown;
  /** the body as received */
  text: string;
}

/** The API server could not be reached (connection refused, DNS, TLS, timeout). */
export class KubeUnreachableError extends Error {
  constructor(
    readonly server: string,
    reason: string,
  ) {
    super(`cannot reach the Kubernetes API server ${server}: ${reason}`);
    this.name = 'KubeUnreachableError';
  }
}

/** Loads a kubeconfig file (or KUBECONFIG / ~/.kube/config when `file` is undefined). */
export async function loadKubeConfig(file?: string): Promise<KubeConfig> {
  // Only the KubeConfig module: the package index re-exports every generated API client,
  // which would add ~13 MB to dist/cli.js (the package has no `exports` map, so this path is public).
  const k8s = await import('@kubernetes/client-node/dist/config.js');
  const kc = new k8s.KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  return kc;
}

interface RequestOptions {
  query?: KubeQuery;
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** extra request headers (e.g. Content-Type for PATCH) */
  headers?: Record<string, string>;
}

/** Client of the API server of one kubeconfig context. */
export class KubeClient {
  readonly server: string;

  /** `kc` must already have the wanted context as its current context. */
  constructor(
    private readonly kc: KubeConfig,
    readonly context: string,
  ) {
    this.server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  }

  /** A client for `context` of `kc` (a copy of the config, so the caller's stays unchanged). */
  static async forContext(kubeconfig: string | undefined, context: string): Promise<KubeClient> {
    const kc = await loadKubeConfig(kubeconfig);
    kc.setCurrentContext(context);
    return new KubeClient(kc, context);
  }

  /** Sends one request and reads the whole answer. Never throws for an HTTP status. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<KubeResponse> {
    const res = await this.open(method, path, opts);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', resolve);
      res.on('error', reject);
    });
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON: keep the text */
      }
    }
    return {
      statusCode: res.statusCode ?? 0,
      statusText: res.statusMessage ?? '',
      headers: headersOf(res),
      body,
      text,
    };
  }

  /**
   * Opens a watch (`?watch=true`) and calls `onEvent` per JSON line until the server ends the
   * stream or the signal aborts. Resolves with the HTTP status (non-200: the body's Status object
   * is passed as a single ERROR event).
   */
  async watch(
    path: string,
    query: KubeQuery,
    onEvent: (ev: { type: string; object: Record<string, unknown> }) => void,
    signal?: AbortSignal,
  ): Promise<number> {
    const res = await this.open('GET', path, { query: { ...query, watch: true }, signal });
    const status = res.statusCode ?? 0;
    let buf = '';
    const flush = (final: boolean) => {
      const lines = buf.split('\n');
      buf = final ? '' : lines.pop()!;
      for (const l of lines) {
        if (!l.trim()) continue;
        try {
          const ev = JSON.parse(l) as { type?: string; object?: Record<string, unknown> };
          if (status !== 200) onEvent({ type: 'ERROR', object: ev as Record<string, unknown> });
          else if (ev.type && ev.object) onEvent({ type: ev.type, object: ev.object });
        } catch {
          /* a broken line: ignore it, the next poll/watch re-reads the state */
        }
      }
    };
    await new Promise<void>((resolve) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        flush(false);
      });
      const done = () => {
        flush(true);
        resolve();
      };
      res.on('end', done);
      res.on('error', done);
      res.on('close', done);
    });
    return status;
  }

  private async open(method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
    if (!this.server) throw new KubeUnreachableError('(none)', `the context ${this.context} names no cluster server`);
    const url = new URL(this.server + (path.startsWith('/') ? path : `/${path}`));
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(one));
    }
    const options: https.RequestOptions = { headers: {} };
    try {
      await this.kc.applyToHTTPSOptions(options);
    } catch (e) {
      throw new KubeUnreachableError(this.server, `credentials of context ${this.context}: ${(e as Error).message}`);
    }
    const payload =
      opts.body === undefined
        ? undefined
        : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
    const headers: Record<string, string | number> = {
      ...(options.headers as Record<string, string>),
      Accept: 'application/json',
      ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
      ...opts.headers,
    };
    const isHttp = url.protocol === 'http:';
    const lib = isHttp ? http : https;
    const reqOpts: https.RequestOptions = {
      ...options,
      // the agent KubeConfig makes is an https one unless it saw http: with skipTLSVerify
      agent: isHttp ? undefined : options.agent,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (isHttp ? 80 : 443),
      path: url.pathname + url.search,
      method,
      headers,
      signal: opts.signal,
    };
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = lib.request(reqOpts, resolve);
      if (opts.timeoutMs)
        req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.name === 'AbortError') return reject(err);
        reject(new KubeUnreachableError(this.server, err.code ? `${err.code} ${err.message}` : err.message));
      });
      req.end(payload);
    });
  }
}

function headersOf(res: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    const k = res.rawHeaders[i]!.toLowerCase();
    (out[k] ??= []).push(res.rawHeaders[i + 1]!);
  }
  return out;
}
