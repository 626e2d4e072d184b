/**
 * dist/elkWorker.js: the elkjs layout engine as a Web Worker, so layout never blocks the
 * webview's main thread. elkjs's worker build registers its own message dispatcher on `self`
 * (protocol: {id, cmd: 'register' | 'layout', ...} -> {id, data | error}); importing it is all
 * this entry does. The webview creates the worker from a blob of this file's text.
 */
import 'elkjs/lib/elk-worker.min.js';
