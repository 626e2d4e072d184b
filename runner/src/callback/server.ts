/**
 * A Step Functions-compatible HTTP endpoint speaking AWS JSON 1.0 (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html): `POST /`
 * with `X-Amz-Target: AWSStepFunctions.<Operation>`, JSON bodies, `x-amzn-RequestId`, and
 * errors as `{"__type": "com.amazonaws.sfn#<Name>", "message": …}` with HTTP 400. SigV4 is
 * accepted and ignored.
 *
 * It exposes the least it can. The main listener binds loopback unless the caller names
 * another address. Containers reach the host only through `exposeTo(gatewayIp, token)`: a
 * listener on that network's gateway that answers SendTaskSuccess/Failure/Heartbeat for the
 * tokens granted to it and nothing else, and closes when the last grant is released (the
 * driver releases it when the task's network is removed). Docker lets a container on any
 * bridge reach every gateway address of the host, so anything more would hand the whole API
 * to every container. Every listener answers only requests whose `Host` header names the
 * address and port it listens on (a page whose DNS name rebinds to 127.0.0.1 sends its own
 * name), and no response carries CORS headers, so browsers keep other origins out.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import type { CallbackEndpointInfo, CallbackExposure } from '../drivers/types';
import { unknownTokenError, type TaskTokenRegistry } from './tokens';
import { isLoopback, isWildcard } from '../loopback';

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

/** A date as AWS JSON 1.0 sends it: epoch seconds. */
export const epochSeconds = (ms: number): number => ms / 1000;

/** A request's string member; missing, empty or not a string is AWS's "must not be null" ValidationException. */
export function requiredString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || !v)
    throw new ApiError(
      'ValidationException',
      `1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  return v;
}

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const MAX_BODY = 2 * 1024 * 1024;
/** The operations a container network's gateway listener answers. */
export const CALLBACK_OPERATIONS = ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'] as const;
/**
 * How a request with a foreign `Host` header is refused: local behaviour (AWS has no such
 * case), in AWS's error shape so SDKs and the CLI print the message.
 */
const WRONG_HOST = { status: 403, type: 'AccessDeniedException' } as const;

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

const hostPart = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/** One bound address: its server and the operations it answers. */
interface Listener {
  server: http.Server;
  address: string;
  port: number;
  ops: Record<string, OpHandler>;
}

/** A container network's gateway listener and the tokens granted on it (a count per grant). */
interface Gateway {
  listener: Promise<Listener>;
  grants: Map<string, number>;
}

/** The local endpoint: one HTTP server on loopback (or `host`), plus gateway listeners for containers. */
export class LocalEndpoint implements CallbackEndpointInfo {
  readonly region = 'us-east-1';
  readonly accessKeyId = 'local';
  readonly secretAccessKey = 'local';
  hostUrl = '';
  private readonly listeners = new Set<Listener>();
  private readonly gateways = new Map<string, Gateway>();

  private constructor(private readonly ops: Record<string, OpHandler>) {}

  /**
   * Starts listening on `host`:`port` (0 = any free port; default host 127.0.0.1). An address
   * that is not loopback is the caller's explicit choice (`serve --host`).
   */
  static async start(ops: Record<string, OpHandler>, port = 0, host = '127.0.0.1'): Promise<LocalEndpoint> {
    if (!net.isIP(host)) throw new Error(`the endpoint listens on an IP address, not '${host}'`);
    const ep = new LocalEndpoint(ops);
    const l = await ep.listen(host, port, ops);
    // a wildcard bind is reached locally through loopback
    const local = isWildcard(host) ? (host === '::' ? '::1' : '127.0.0.1') : host;
    ep.hostUrl = `http://${hostPart(local)}:${l.port}`;
    return ep;
  }

  get port(): number {
    return Number(new URL(this.hostUrl).port);
  }

  /** The addresses and ports listened on now (tests and `serve` tooling). */
  addresses(): Array<{ address: string; port: number }> {
    return [...this.listeners].map((l) => ({ address: l.address, port: l.port }));
  }

  /**
   * Lets containers on the network whose gateway is `gatewayIp` call back with `taskToken`:
   * a listener on that one address (the loopback port when free) answering only the callback
   * operations, and only for tokens granted on it; other tokens get the unknown-token answer.
   * `close()` releases the grant; the listener closes with its last grant.
   */
  async exposeTo(gatewayIp: string, taskToken: string): Promise<CallbackExposure> {
    if (!net.isIP(gatewayIp) || isWildcard(gatewayIp)) throw new Error('exposeTo needs one specific IP address');
    let gw = this.gateways.get(gatewayIp);
    if (!gw) {
      const grants = new Map<string, number>();
      const created: Gateway = { grants, listener: this.listenGateway(gatewayIp, grants) };
      gw = created;
      this.gateways.set(gatewayIp, gw);
      void created.listener.catch(() => this.gateways.get(gatewayIp) === created && this.gateways.delete(gatewayIp));
    }
    const gateway = gw;
    gateway.grants.set(taskToken, (gateway.grants.get(taskToken) ?? 0) + 1);
    let listener: Listener;
    try {
      listener = await gateway.listener;
    } catch (e) {
      void this.release(gatewayIp, gateway, taskToken);
      throw e;
    }
    let released = false;
    return {
      url: `http://${hostPart(gatewayIp)}:${listener.port}`,
      close: async () => {
        if (released) return;
        released = true;
        await this.release(gatewayIp, gateway, taskToken);
      },
    };
  }

  /** Closes every listener. */
  async close(): Promise<void> {
    this.gateways.clear();
    await Promise.all([...this.listeners].map((l) => this.closeListener(l)));
  }

  private listenGateway(gatewayIp: string, grants: Map<string, number>): Promise<Listener> {
    const ops: Record<string, OpHandler> = {};
    for (const op of CALLBACK_OPERATIONS) {
      const handler = this.ops[op];
      if (!handler) continue;
      ops[op] = (body) => {
        // a token issued to a task elsewhere gets the same answer as a token that never existed
        if (typeof body.taskToken !== 'string' || !grants.has(body.taskToken)) {
          const e = unknownTokenError(body.taskToken);
          throw new ApiError(e.type, e.message);
        }
        return handler(body);
      };
    }
    return this.listen(gatewayIp, this.port, ops).catch(() => this.listen(gatewayIp, 0, ops));
  }

  private async release(gatewayIp: string, gateway: Gateway, taskToken: string): Promise<void> {
    const n = (gateway.grants.get(taskToken) ?? 0) - 1;
    if (n > 0) gateway.grants.set(taskToken, n);
    else gateway.grants.delete(taskToken);
    if (gateway.grants.size > 0) return;
    if (this.gateways.get(gatewayIp) === gateway) this.gateways.delete(gatewayIp);
    const listener = await gateway.listener.catch(() => undefined);
    if (listener) await this.closeListener(listener);
  }

  private closeListener(l: Listener): Promise<void> {
    this.listeners.delete(l);
    return new Promise<void>((r) => {
      l.server.close(() => r());
      l.server.closeAllConnections?.();
    });
  }

  private listen(address: string, port: number, ops: Record<string, OpHandler>): Promise<Listener> {
    const server = http.createServer((req, res) => void this.handle(listener, req, res));
    server.keepAliveTimeout = 1000;
    const listener: Listener = { server, address, port, ops };
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        listener.port = (server.address() as AddressInfo).port;
        this.listeners.add(listener);
        server.unref();
        resolve(listener);
      });
    });
  }

  /** The `host:port` values a listener answers: its address, `localhost` on loopback, every interface address on a wildcard. */
  private acceptedHosts(l: Listener): string[] {
    const names = new Set<string>();
    if (isWildcard(l.address)) {
      for (const list of Object.values(os.networkInterfaces())) {
        for (const i of list ?? []) if (l.address === '::' || i.family === 'IPv4') names.add(hostPart(i.address));
      }
      names.add(os.hostname().toLowerCase());
    } else names.add(hostPart(l.address));
    if (isWildcard(l.address) || isLoopback(l.address)) names.add('localhost');
    return [...names].map((n) => `${n}:${l.port}`);
  }

  private hostAccepted(l: Listener, header: string | undefined): boolean {
    if (!header) return false;
    let h = header.trim().toLowerCase();
    // a client leaves out the default port
    if (!/:\d+$/.test(h)) h = `${h}:80`;
    return this.acceptedHosts(l).includes(h);
  }

  private async handle(l: Listener, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': CONTENT_TYPE,
        'x-amzn-RequestId': requestId,
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    const fail = (e: ApiError): void => send(e.status, { __type: `com.amazonaws.sfn#${e.type}`, message: e.message });
    try {
      if (!this.hostAccepted(l, req.headers.host)) {
        throw new ApiError(
          WRONG_HOST.type,
          `This local endpoint answers requests addressed to ${this.acceptedHosts(l).slice(0, 4).join(' or ')}, not to '${String(req.headers.host ?? '').slice(0, 100)}' (asl-workbench's protection against DNS rebinding; not an AWS behaviour).`,
          WRONG_HOST.status,
        );
      }
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
      const handler = Object.prototype.hasOwnProperty.call(l.ops, op) ? l.ops[op] : undefined;
      if (!handler)
        throw new ApiError(
          'UnknownOperationException',
          `Operation '${target}' is not supported by this local endpoint`,
        );
      let body: unknown = {};
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new ApiError('SerializationException', 'The request body is not valid JSON');
        }
      }
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new ApiError('SerializationException', 'The request body must be a JSON object');
      const out = await handler(body as Record<string, unknown>);
      send(200, out ?? {});
    } catch (e) {
      if (e instanceof ApiError) fail(e);
      else fail(new ApiError('InternalFailure', e instanceof Error ? e.message : String(e), 500));
    }
  }
}
