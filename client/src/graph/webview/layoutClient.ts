/**
 * The webview side of the layout worker: creates the worker (from a blob of the fetched script
 * text — a webview's resources are on another origin, so `new Worker(url)` is refused there;
 * a same-origin URL, as in the test harness, works directly) and wraps elkjs's worker
 * protocol in promises.
 */
import type { ElkLike, ElkNode } from '../../../../asl/src/graph/layout';

interface Pending {
  resolve(value: ElkNode): void;
  reject(err: Error): void;
}

/** Starts the worker at `url`; blob first, the URL itself as a fallback. */
async function startWorker(url: string): Promise<Worker> {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const blob = new Blob([await res.text()], { type: 'text/javascript' });
    return new Worker(URL.createObjectURL(blob));
  } catch {
    return new Worker(url);
  }
}

/** An ELK instance whose layout runs in a Web Worker. */
export class WorkerElk implements ElkLike {
  private readonly worker: Promise<Worker>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(url: string, onError: (message: string) => void) {
    this.worker = startWorker(url).then((w) => {
      w.onmessage = (ev: MessageEvent<{ id: number; data?: ElkNode; error?: unknown }>) => {
        const p = this.pending.get(ev.data.id);
        if (!p) return;
        this.pending.delete(ev.data.id);
        if (ev.data.error !== undefined) p.reject(new Error(describe(ev.data.error)));
        else p.resolve(ev.data.data as ElkNode);
      };
      w.onerror = (ev) => {
        onError(`layout worker: ${ev.message}`);
        for (const p of this.pending.values()) p.reject(new Error(ev.message || 'layout worker failed'));
        this.pending.clear();
      };
      return w;
    });
    // the worker build needs its algorithms registered once before the first layout
    void this.call({ cmd: 'register', algorithms: ['layered'] }).catch((err: Error) =>
      onError(`layout worker: ${err.message}`),
    );
  }

  /** Lays out an ELK graph in the worker. */
  layout(graph: ElkNode): Promise<ElkNode> {
    return this.call({ cmd: 'layout', graph, layoutOptions: {}, options: {} });
  }

  private async call(message: Record<string, unknown>): Promise<ElkNode> {
    const w = await this.worker;
    const id = this.nextId++;
    return new Promise<ElkNode>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...message, id });
    });
  }
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}
