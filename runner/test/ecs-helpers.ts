/**
 * Helpers of the Docker-backed ECS tests: engine setup (scripts/setup-docker.sh), the test
 * run config, hand-made TaskInvocations, a minimal Step Functions JSON 1.0 callback endpoint
 * and the leftover assertion.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ContainerEngine } from '../src/drivers/docker/engine';
import { LABELS, managedFilter } from '../src/drivers/docker/labels';
import type { CallbackEndpointInfo, CallbackExposure, LocalRunConfig, TaskInvocation } from '../src/drivers/types';
import type { IntegrationPattern } from '../../asl/src/types';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(__dirname, 'fixtures', 'ecs');

/** Install/start Docker and build the busybox image when needed (idempotent; throws with the script's message). */
export function ensureDocker(): void {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'setup-docker.sh'), '--quiet'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`scripts/setup-docker.sh failed: ${r.stderr || r.stdout || r.error?.message}`);
}

/** The test run config with its own path (relative task-definition files resolve against it). */
export function testConfig(): LocalRunConfig {
  const configPath = path.join(FIXTURES, 'asl-workbench.run.json');
  return { ...(JSON.parse(fs.readFileSync(configPath, 'utf8')) as LocalRunConfig), configPath };
}

/** A fresh execution ARN in the default region/account. */
export function newExecutionArn(name = 'test'): string {
  return `arn:aws:states:us-east-1:123456789012:execution:ecs-tests:${name}-${randomBytes(4).toString('hex')}`;
}

export interface Invocation {
  inv: TaskInvocation;
  logs: Array<{ line: string; source?: string }>;
  abort(reason?: unknown): void;
}

/** A TaskInvocation for ecs:runTask with the given pattern and parameters. */
export function invocation(opts: {
  pattern: IntegrationPattern;
  parameters: unknown;
  executionArn?: string;
  callback?: CallbackEndpointInfo;
  taskToken?: string;
  config?: LocalRunConfig;
}): Invocation {
  const ac = new AbortController();
  const logs: Invocation['logs'] = [];
  const suffix = opts.pattern === 'requestResponse' ? '' : `.${opts.pattern}`;
  const inv: TaskInvocation = {
    executionArn: opts.executionArn ?? newExecutionArn(),
    executionName: 'test',
    stateMachineName: 'ecs-tests',
    region: 'us-east-1',
    accountId: '123456789012',
    stateName: 'Run',
    attempt: 1,
    resource: {
      raw: `arn:aws:states:::ecs:runTask${suffix}`,
      kind: 'optimized',
      partition: 'aws',
      service: 'ecs',
      action: 'runTask',
      pattern: opts.pattern,
      key: 'ecs:runTask',
    },
    parameters: opts.parameters,
    taskToken: opts.taskToken,
    signal: ac.signal,
    log: (line, source) => logs.push({ line, source }),
    config: opts.config ?? testConfig(),
    baseDir: FIXTURES,
    callback: opts.callback,
  };
  return { inv, logs, abort: (reason) => ac.abort(reason) };
}

/** Containers and networks this test process created that still exist. */
export async function leftovers(engine: ContainerEngine, executionArn?: string): Promise<string[]> {
  const filters = [managedFilter(), `${LABELS.runnerPid}=${process.pid}`];
  if (executionArn) filters.push(`${LABELS.execution}=${executionArn}`);
  const c = await engine.listContainers(filters);
  const n = await engine.listNetworks(filters);
  return [...c.map((x) => `container ${x.Names[0]}`), ...n.map((x) => `network ${x.Name}`)];
}

export interface CallbackCall {
  target: string;
  body: Record<string, unknown>;
}

/**
 * A minimal stand-in of the runner's callback endpoint (AWS JSON 1.0, https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html): records
 * SendTask* calls. `exposeTo` opens a second listener on the container network's gateway and
 * records whether the driver released it.
 */
export class TestCallbackEndpoint implements CallbackEndpointInfo {
  hostUrl = '';
  region = 'us-east-1';
  accessKeyId = 'local';
  secretAccessKey = 'local';
  readonly calls: CallbackCall[] = [];
  /** every exposure made and whether it was released (the driver releases it with the task's network) */
  readonly exposures: Array<{ gatewayIp: string; taskToken: string; released: boolean }> = [];
  private readonly servers: http.Server[] = [];

  async start(): Promise<this> {
    this.hostUrl = (await this.listen('127.0.0.1')).url;
    return this;
  }

  async exposeTo(gatewayIp: string, taskToken: string): Promise<CallbackExposure> {
    const { url, server } = await this.listen(gatewayIp);
    const record = { gatewayIp, taskToken, released: false };
    this.exposures.push(record);
    return {
      url,
      close: async () => {
        record.released = true;
        await new Promise((r) => server.close(r));
      },
    };
  }

  /** Resolves with the first call whose body has this token. */
  next(token: string, deadlineMs = 20_000): Promise<CallbackCall> {
    return waitFor(() => this.calls.find((c) => c.body.taskToken === token), {
      deadlineMs,
      message: 'a callback with the token',
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
  }

  private listen(host: string): Promise<{ url: string; server: http.Server }> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          /* keep {} */
        }
        this.calls.push({ target: String(req.headers['x-amz-target'] ?? ''), body });
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': 'test' });
        res.end('{}');
      });
    });
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () =>
        resolve({ url: `http://${host}:${(server.address() as AddressInfo).port}`, server }),
      );
    });
  }
}
