/**
 * State of the Kubernetes API stand-in: namespaced objects with a global resourceVersion, the
 * event log watches replay from, and label/field selector matching as the API server does it.
 */

export type Obj = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & {
    name: string;
    namespace: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
  [k: string]: unknown;
};

export interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: 'jobs' | 'pods';
  object: Obj;
}

/** Matches `a=b,c!=d,e` label selectors (equality-based and existence, the forms kubectl sends most). */
export function matchLabels(selector: string | null, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  return selector.split(',').every((term) => {
    const t = term.trim();
    if (!t) return true;
    let m = /^([^!=]+)!=(.*)$/.exec(t);
    if (m) return l[m[1]!.trim()] !== m[2]!.trim();
    m = /^([^=]+)==?(.*)$/.exec(t);
    if (m) return l[m[1]!.trim()] === m[2]!.trim();
    if (t.startsWith('!')) return !(t.slice(1) in l);
    return t in l;
  });
}

/** Matches `metadata.name=x,metadata.namespace=y` field selectors. */
export function matchFields(selector: string | null, o: Obj): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    if (k === 'metadata.name') return o.metadata.name === v;
    if (k === 'metadata.namespace') return o.metadata.namespace === v;
    return true;
  });
}

/** Objects of two resources, the event log and watch subscribers. */
export class Store {
  rv = 100;
  readonly namespaces = new Set(['default', 'kube-system']);
  readonly objects = { jobs: new Map<string, Obj>(), pods: new Map<string, Obj>() };
  readonly events: WatchEvent[] = [];
  private readonly subscribers = new Set<(e: WatchEvent) => void>();

  key(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  get(resource: 'jobs' | 'pods', ns: string, name: string): Obj | undefined {
    return this.objects[resource].get(this.key(ns, name));
  }

  list(resource: 'jobs' | 'pods', ns: string, labelSelector: string | null, fieldSelector: string | null): Obj[] {
    return [...this.objects[resource].values()].filter(
      (o) =>
        o.metadata.namespace === ns && matchLabels(labelSelector, o.metadata.labels) && matchFields(fieldSelector, o),
    );
  }

  /** Stores an object (ADDED or MODIFIED) with a new resourceVersion; returns a copy. */
  put(resource: 'jobs' | 'pods', o: Obj): Obj {
    const k = this.key(o.metadata.namespace, o.metadata.name);
    const type = this.objects[resource].has(k) ? 'MODIFIED' : 'ADDED';
    o.metadata.resourceVersion = String(++this.rv);
    this.objects[resource].set(k, o);
    this.emit({ rv: this.rv, type, resource, object: structuredClone(o) });
    return structuredClone(o);
  }

  remove(resource: 'jobs' | 'pods', ns: string, name: string): Obj | undefined {
    const k = this.key(ns, name);
    const o = this.objects[resource].get(k);
    if (!o) return undefined;
    this.objects[resource].delete(k);
    o.metadata.resourceVersion = String(++this.rv);
    this.emit({ rv: this.rv, type: 'DELETED', resource, object: structuredClone(o) });
    return o;
  }

  subscribe(f: (e: WatchEvent) => void): () => void {
    this.subscribers.add(f);
    return () => this.subscribers.delete(f);
  }

  private emit(e: WatchEvent): void {
    this.events.push(e);
    for (const s of this.subscribers) s(e);
  }
}
