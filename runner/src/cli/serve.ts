/**
 * `asl-workbench serve [--port p] [--mock-config f] [--config f] [--time-scale n]`: a local
 * Step Functions endpoint on 127.0.0.1 (AWS JSON 1.0) for the AWS CLI and SDKs
 * (`--endpoint-url http://127.0.0.1:<port>`). Runs until SIGINT/SIGTERM.
 */
import path from 'node:path';
import { LocalEndpoint } from '../callback/server';
import { createService } from '../callback/service';
import { findMockConfig, loadMockConfig, loadRunConfig } from '../config';
import { defaultDrivers } from '../drivers/defaults';
import type { MockConfig } from '../drivers/mock/mockConfig';
import { parseArgs } from './args';

const USAGE = `usage: asl-workbench serve [--port <port>] [--mock-config <file>] [--config <file>] [--time-scale <n>]
  Serves CreateStateMachine, StartExecution (ARN#TestCase selects a mock test case), StartSyncExecution, DescribeExecution,
  GetExecutionHistory, StopExecution, ListExecutions, SendTaskSuccess/Failure/Heartbeat on 127.0.0.1.`;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['port', 'mock-config', 'config', 'time-scale'], ['help']);
  const err = (s: string): boolean => process.stderr.write(s + '\n');
  if (args.flags.has('help')) return process.stdout.write(USAGE + '\n'), 0;
  if (args.errors.length || args.positionals.length) return err([...args.errors, ...args.positionals.map((p) => `unexpected argument ${p}`)].join('\n') + '\n' + USAGE), 2;
  const port = args.options.port !== undefined ? Number(args.options.port) : 8083;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return err('--port must be a port number'), 2;
  const timeScale = args.options['time-scale'] !== undefined ? Number(args.options['time-scale']) : 1;
  if (!Number.isFinite(timeScale) || timeScale < 0) return err('--time-scale must be a number >= 0'), 2;
  let mockConfig: MockConfig | undefined;
  const mock = findMockConfig(undefined, args.options['mock-config']);
  if (mock) {
    const m = loadMockConfig(mock.file);
    if (!m.ok) return err(m.error), 2;
    mockConfig = m.value;
  }
  const cwdMachine = path.join(process.cwd(), 'x.asl.json');
  const cfg = loadRunConfig(cwdMachine, args.options.config);
  if (!cfg.ok) return err(cfg.error), 2;
  let endpoint: LocalEndpoint | undefined;
  const service = createService(
    { mockConfig, config: cfg.value, baseDir: cfg.file ? path.dirname(cfg.file) : process.cwd(), timeScale, drivers: () => defaultDrivers().create(), log: (l) => err(l) },
    () => endpoint!,
  );
  try {
    endpoint = await LocalEndpoint.start(service.ops, port);
  } catch (e) {
    return err(`serve: cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`), 2;
  }
  process.stdout.write(`asl-workbench serve: listening on ${endpoint.hostUrl}${mockConfig ? ` (mock config ${mock!.file})` : ''}\n`);
  // keep the process alive: LocalEndpoint unrefs its servers for in-process use
  const keep = setInterval(() => {}, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  clearInterval(keep);
  for (const e of service.executions()) if (e.status() === 'RUNNING') e.stop('Serve.Shutdown', 'the local endpoint stopped');
  await Promise.allSettled(service.executions().map((e) => e.result));
  await endpoint.close();
  return 0;
}
