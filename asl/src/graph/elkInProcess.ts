/**
 * ELK on the calling thread: the layout engine the webview runs in a Web Worker, for the
 * CLI's SVG export, tests and benchmarks, so every layout comes from the same engine.
 */
import ELK from 'elkjs/lib/elk-api.js';
// elkjs's worker build doubles as an in-process "fake worker" where there is no `self`; using it
// directly keeps the optional `web-worker` package of elkjs's Node entry out of the bundle
// @ts-expect-error the worker build ships no declaration for its CommonJS exports
import * as elkWorker from 'elkjs/lib/elk-worker.min.js';
import type { ElkLike } from './layout';

/** A new ELK instance that lays out in-process. */
export function createInProcessElk(): ElkLike {
  const FakeWorker = (elkWorker as { Worker: new () => unknown }).Worker;
  return new ELK({ workerFactory: () => new FakeWorker() as never }) as unknown as ElkLike;
}
