/**
 * `asl-workbench serve [--port p] [--host a] [--mock-config f] [--config f] [--time-scale n]`:
 * a local Step Functions endpoint (AWS JSON 1.0) for the AWS CLI and SDKs
 * (`--endpoint-url http://127.0.0.1:<port>`). Runs until SIGINT/SIGTERM.
 *
 * The management API listens on loopback: whoever reaches it can start containers through the
 * engine. `--host` widens that on request, with a warning. Containers of served tasks call back
 * through their network's gateway listener, which answers only SendTask* for their own tokens.
 */
import net from 'node:net';
import path from 'node:path';
import { LocalEndpoint } from '../../runner/src/callback/server';
import { isLoopback, isWildcard } from '../../runner/src/loopback';
import { createService } from '../../runner/src/callback/service';
import { findMockConfig, loadMockConfig, loadRunConfig } from '../../runner/src/config';
import { defaultDrivers } from '../../runner/src/drivers/defaults';
import type { MockConfig } from '../../runner/src/drivers/mock/mockConfig';
import { parseArgs } from './args';

const USAGE = `usage: asl-workbench serve [--port <port>] [--host <address>] [--mock-config <file>] [--config <file>] [--time-scale <n>]
  Serves CreateStateMachine, UpdateStateMachine, ListStateMachines, StartExecution (ARN#TestCase selects a mock test case), StartSyncExecution, DescribeExecution,
  GetExecutionHistory, StopExecution, RedriveExecution, ListExecutions, state machine versions and aliases,
  SendTaskSuccess/Failure/Heartbeat on 127.0.0.1
  (--host: another IP address of this machine, 0.0.0.0 for all; everyone who reaches it can start containers).`;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['port', 'host', 'mock-config', 'config', 'time-scale'], ['help']);
  const err = (s: string): boolean => process.stderr.write(s + '\n');
  if (args.flags.has('help')) return (process.stdout.write(USAGE + '\n'), 0);
  if (args.errors.length || args.positionals.length)
    return (
      err([...args.errors, ...args.positionals.map((p) => `unexpected argument ${p}`)].join('\n') + '\n' + USAGE),
      2
    );
  const port = args.options.port !== undefined ? Number(args.options.port) : 8083;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return (err('--port must be a port number'), 2);
  const host = args.options.host === undefined || args.options.host === 'localhost' ? '127.0.0.1' : args.options.host;
  if (!net.isIP(host)) return (err('--host must be an IP address of this machine (or 0.0.0.0 for all of them)'), 2);
  const timeScale = args.options['time-scale'] !== undefined ? Number(args.options['time-scale']) : 1;
  if (!Number.isFinite(timeScale) || timeScale < 0) return (err('--time-scale must be a number >= 0'), 2);
  let mockConfig: MockConfig | undefined;
  const mock = findMockConfig(undefined, args.options['mock-config']);
  if (mock) {
    const m = loadMockConfig(mock.file);
    if (!m.ok) return (err(m.error), 2);
    mockConfig = m.value;
  }
  const cwdMachine = path.join(process.cwd(), 'x.asl.json');
  const cfg = loadRunConfig(cwdMachine, args.options.config);
  if (!cfg.ok) return (err(cfg.error), 2);
  let endpoint: LocalEndpoint | undefined;
  const service = createService(
    {
      mockConfig,
      config: cfg.value,
      baseDir: cfg.file ? path.dirname(cfg.file) : process.cwd(),
      timeScale,
      drivers: () => defaultDrivers().create(),
      log: (l) => err(l),
    },
    () => endpoint!,
  );
  try {
    endpoint = await LocalEndpoint.start(service.ops, port, host);
  } catch (e) {
    return (err(`serve: cannot listen on ${host}:${port}: ${(e as Error).message}`), 2);
  }
  const everywhere = isWildcard(host);
  if (!isLoopback(host)) {
    err(
      `warning: --host ${host} makes the whole API (CreateStateMachine, StartExecution, GetExecutionHistory with its task tokens, …) reachable from ${everywhere ? 'every network this machine is on' : `everything that reaches ${host}`}, containers on this host included: whoever reaches it can run containers through your engine. Use it only on a network you trust.`,
    );
  }
  const where = everywhere
    ? `${endpoint.hostUrl} (and every address of this machine, port ${endpoint.port})`
    : endpoint.hostUrl;
  process.stdout.write(
    `asl-workbench serve: listening on ${where}${mockConfig ? ` (mock config ${mock!.file})` : ''}\n`,
  );
  // keep the process alive: LocalEndpoint unrefs its servers for in-process use
  const keep = setInterval(() => {}, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  clearInterval(keep);
  for (const e of service.executions())
    if (e.status() === 'RUNNING') e.stop('Serve.Shutdown', 'the local endpoint stopped');
  await Promise.allSettled(service.executions().map((e) => e.result));
  await endpoint.close();
  return 0;
}
