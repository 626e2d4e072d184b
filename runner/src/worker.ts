/**
 * dist/runWorker.js: runs one execution in a child process for the VS Code extension.
 * Protocol over Node's process IPC (fork with an IPC channel):
 *   parent → worker  {type:'start', definition, input, options}   once
 *   parent → worker  {type:'stop', error?, cause?}                  aborts → ABORTED, full clean-up
 *   worker → parent  {type:'event', event}                         each history event as it happens
 *   worker → parent  {type:'log', line, source?}                   driver / container output
 *   worker → parent  {type:'result', result}                       status, output/error/cause, history
 *   worker → parent  {type:'error', message}                       bad start message or options
 * The worker exits once the result is sent (or the parent disconnects).
 */
import { startExecution, type RunOptions, type StartedExecution } from './api';
import { defaultDrivers } from './drivers/defaults';

/** What `options` of the start message may hold (plain JSON; no functions). */
export type WorkerRunOptions = Pick<
  RunOptions,
  'name' | 'stateMachineName' | 'mockConfig' | 'testCase' | 'config' | 'baseDir' | 'timeScale' | 'machineType' | 'region' | 'accountId' | 'roleArn' | 'historyLimit'
>;

export type WorkerRequest =
  | { type: 'start'; definition: object | string; input?: unknown; options?: WorkerRunOptions }
  | { type: 'stop'; error?: string; cause?: string };

export type WorkerMessage =
  | { type: 'event'; event: unknown }
  | { type: 'log'; line: string; source?: string }
  | { type: 'result'; result: unknown }
  | { type: 'error'; message: string };

function send(msg: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(msg, undefined, {}, () => resolve());
  });
}

let started: StartedExecution | undefined;

async function start(req: Extract<WorkerRequest, { type: 'start' }>): Promise<void> {
  const o = req.options ?? {};
  try {
    started = startExecution({
      ...o,
      definition: req.definition,
      input: req.input,
      drivers: defaultDrivers().create(),
      onEvent: (event) => void send({ type: 'event', event }),
      onLog: (line, source) => void send({ type: 'log', line, source }),
    });
  } catch (e) {
    await send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    process.exit(2);
  }
  const result = await started.result;
  await send({ type: 'result', result });
  process.exit(0);
}

if (!process.send) {
  process.stderr.write('runWorker: start me with child_process.fork (an IPC channel is required)\n');
  process.exit(2);
}
process.on('message', (m: WorkerRequest) => {
  if (!m || typeof m !== 'object') return;
  if (m.type === 'start' && !started) void start(m);
  else if (m.type === 'stop') {
    if (started) started.stop(m.error, m.cause);
    else process.exit(0);
  }
});
// the extension went away: stop and clean up, then exit
process.on('disconnect', () => {
  if (started) {
    started.stop('Worker.Disconnected', 'the parent process disconnected');
    void started.result.then(() => process.exit(0));
  } else process.exit(0);
});
