/**
 * dist/runWorker.js: runs one execution in a child process for the VS Code extension. The
 * messages are declared in ./workerProtocol.ts; the worker exits once the result is sent (or
 * the parent disconnects).
 */
import { startExecution, type StartedExecution } from './api';
import { defaultDrivers } from './drivers/defaults';
import type { WorkerMessage, WorkerRequest } from './workerProtocol';

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
      // VS Code showed the errors before the user chose to run: they are reported and it runs
      validation: 'warn',
      input: req.input,
      drivers: defaultDrivers().create(),
      onEvent: (event) => void send({ type: 'event', event }),
      onLog: (line, source) => void send({ type: 'log', line, source }),
    });
  } catch (e) {
    await send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    process.exit(2);
  }
  const { history: _sentAsEvents, ...result } = await started.result;
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
