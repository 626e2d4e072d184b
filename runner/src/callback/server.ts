/**
 * A Step Functions-compatible HTTP endpoint speaking AWS JSON 1.0 (reference §4.2): `POST /`
 * with `X-Amz-Target: AWSStepFunctions.<Operation>`, JSON bodies, `x-amzn-RequestId`, and
 * errors as `{"__type": "com.amazonaws.sfn#<Name>", "message": …}` with HTTP 400. SigV4 is
 * accepted and ignored. Binds 127.0.0.1; `exposeTo(ip)` adds a listener on one more address
 * (a container bridge gateway) only when a driver asks.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { CallbackEndpointInfo } from '../drivers/types';
import type { TaskTokenRegistry } from './tokens';

/** An error answered in AWS's shape. */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type OpHandler = (body: Record<string, unknown>) => unknown | Promise<unknown>;

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const MAX_BODY = 2 * 1024 * 1024;

/** The three callback operations over a token registry. */
export function callbackOperations(tokens: TaskTokenRegistry): Record<string, OpHandler> {
  const check = (e: ReturnType<TaskTokenRegistry['sendHeartbeat']>): Record<string, never> => {
    if (e) throw new ApiError(e.type, e.message);
    return {};
  };
  return {
    SendTaskSuccess: (b) => check(tokens.sendSuccess(b.taskToken, b.output)),
    SendTaskFailure: (b) => check(tokens.sendFailure(b.taskToken, b.error, b.cause)),
    SendTaskHeartbeat: (b) => check(tokens.sendHeartbeat(b.taskToken)),
  };
}

/** The local endpoint: one HTTP server on 127.0.0.1 (plus exposed addresses). */
export class LocalEndpoint implements CallbackEndpointInfo {
  readonly region = 'us-east-1';
  readonly accessKeyId = 'local';
  readonly secretAccessKey = 'local';
  hostUrl = '';
  private readonly servers: http.Server[] = [];
  private readonly exposed = new Map<string, string>();

  private constructor(private readonly ops: Record<string, OpHandler>) {}

  /** Starts listening on 127.0.0.1:`port` (0 = any free port). */
  static async start(ops: Record<string, OpHandler>, port = 0): Promise<LocalEndpoint> {
    const ep = new LocalEndpoint(ops);
    const p = await ep.listen('127.0.0.1', port);
    ep.hostUrl = `http://127.0.0.1:${p}`;
    return ep;
  }

  get port(): number {
    return Number(new URL(this.hostUrl).port);
  }

  async exposeTo(gatewayIp: string): Promise<string> {
    if (!gatewayIp || gatewayIp === '0.0.0.0' || gatewayIp === '::') throw new Error('exposeTo needs one specific address');
    const known = this.exposed.get(gatewayIp);
    if (known) return known;
    let p: number;
    try {
      p = await this.listen(gatewayIp, this.port);
    } catch {
      p = await this.listen(gatewayIp, 0);
    }
    const host = gatewayIp.includes(':') ? `[${gatewayIp}]` : gatewayIp;
    const url = `http://${host}:${p}`;
    this.exposed.set(gatewayIp, url);
    return url;
  }

  /** Closes every listener. */
  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((r) => {
            s.close(() => r());
            s.closeAllConnections?.();
          }),
      ),
    );
    this.servers.length = 0;
  }

  private listen(host: string, port: number): Promise<number> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        this.servers.push(server);
        server.unref();
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const fail = (e: ApiError): void => send(e.status, { __type: `com.amazonaws.sfn#${e.type}`, message: e.message });
    try {
      if (req.method !== 'POST') throw new ApiError('UnknownOperationException', 'Only POST / is supported', 404);
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > MAX_BODY) throw new ApiError('ValidationException', 'Request body too large');
        chunks.push(c as Buffer);
      }
      const handler = Object.prototype.hasOwnProperty.call(this.ops, op) ? this.ops[op] : undefined;
      if (!handler) throw new ApiError('UnknownOperationException', `Operation '${target}' is not supported by this local endpoint`);
      let body: unknown = {};
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new ApiError('SerializationException', 'The request body is not valid JSON');
        }
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError('SerializationException', 'The request body must be a JSON object');
      const out = await handler(body as Record<string, unknown>);
      send(200, out ?? {});
    } catch (e) {
      if (e instanceof ApiError) fail(e);
      else fail(new ApiError('InternalFailure', e instanceof Error ? e.message : String(e), 500));
    }
  }
}
