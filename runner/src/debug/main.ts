/**
 * dist/debugAdapter.js: the `asl` debug adapter, speaking DAP over stdin/stdout
 * (`node dist/debugAdapter.js`). stdout carries the protocol only, so anything else the
 * process would print goes to stderr. SIGTERM, or the client closing stdin, stops the
 * execution and removes its containers before the process exits.
 */
import { AslDebugSession } from './session';

console.log = console.info = (...a: unknown[]): void => console.error(...a);
const session = new AslDebugSession();
process.once('SIGTERM', () => session.shutdown());
process.stdin.once('end', () => session.shutdown());
session.start(process.stdin, process.stdout);
