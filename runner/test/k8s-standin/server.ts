/**
 * A local HTTP stand-in of the Kubernetes API server for the endpoints the eks driver uses,
 * answering the way the API server does: Jobs (create 201 / get / list / delete with
 * propagationPolicy), Pods listed by labelSelector, the pod log endpoint (container, tailLines,
 * limitBytes), `?watch=true` event streams from a resourceVersion (ADDED/MODIFIED/DELETED JSON
 * lines, 410 Gone as an ERROR event for an expired version), Status objects for 401/404/409/422.
 * Every request must carry `Authorization: Bearer <token>`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { applyLogParameters } from '../../src/drivers/kubernetes/shapes';
import { runController, type LogStore } from './controller';
import { matchFields, matchLabels, Store, type Obj, type WatchEvent } from './store';

export interface StandinOptions {
  token?: string;
  /** refuse `?watch=true` with 405 (the driver must fall back to polling) */
  noWatch?: boolean;
  /** answer the first watch that names a resourceVersion with a 410 Gone ERROR event (as after compaction) */
  expireFirstWatch?: boolean;
}

export interface Standin {
  url: string;
  token: string;
  store: Store;
  logs: LogStore;
  /** every request: method, path and query string */
  requests: Array<{ method: string; path: string; query: URLSearchParams; body?: unknown }>;
  /** writes a kubeconfig whose contexts all point at this server */
  writeKubeconfig(file: string, contexts: string[], opts?: { current?: string; token?: string }): void;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'AlreadyExists',
  410: 'Expired',
  422: 'Invalid',
};

/** A v1 Status object as the API server sends with errors. */
export function status(code: number, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: REASONS[code] ?? 'Unknown',
    ...(details ? { details } : {}),
    code,
  };
}

/** Starts the stand-in on 127.0.0.1 (random port). */
export async function startStandin(opts: StandinOptions = {}): Promise<Standin> {
  const token = opts.token ?? `standin-${randomUUID()}`;
  const store = new Store();
  const logs: LogStore = new Map();
  const requests: Standin['requests'] = [];
  const open = new Set<http.ServerResponse>();
  let expiredOnce = false;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body });
      const send = (code: number, obj: unknown, type = 'application/json') => {
        res.writeHead(code, { 'Content-Type': type, 'Audit-Id': randomUUID() });
        res.end(typeof obj === 'string' ? obj : JSON.stringify(obj));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return send(401, status(401, 'Unauthorized'));
      handle(req.method ?? 'GET', url, body, send, res);
    });
  });

  function handle(
    method: string,
    url: URL,
    body: unknown,
    send: (c: number, o: unknown, t?: string) => void,
    res: http.ServerResponse,
  ): void {
    const q = url.searchParams;
    const p = url.pathname;
    if (p === '/version' && method === 'GET')
      return send(200, { major: '1', minor: '31', gitVersion: 'v1.31.0-standin', platform: 'linux/amd64' });
    if (p === '/apis/batch/v1/jobs' && method === 'GET') {
      // Jobs of all namespaces (list only), as `asl-workbench clean` reads them
      const items = [...store.namespaces].flatMap((n) =>
        store.list('jobs', n, q.get('labelSelector'), q.get('fieldSelector')),
      );
      return send(200, {
        kind: 'JobList',
        apiVersion: 'batch/v1',
        metadata: { resourceVersion: String(store.rv) },
        items,
      });
    }
    let m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/.exec(p);
    const resource = m
      ? 'jobs'
      : (m = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?(\/log)?$/.exec(p))
        ? 'pods'
        : undefined;
    if (!m || !resource) return send(404, status(404, 'the server could not find the requested resource'));
    const ns = decodeURIComponent(m[1]!);
    const name = m[2] ? decodeURIComponent(m[2]) : undefined;
    const group = resource === 'jobs' ? 'batch' : '';
    if (!store.namespaces.has(ns))
      return send(404, status(404, `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }));
    const notFound = () =>
      send(
        404,
        status(404, `${resource}${group ? `.${group}` : ''} "${name}" not found`, { name, group, kind: resource }),
      );

    if (m[3]) {
      // GET .../pods/<name>/log
      const pod = store.get('pods', ns, name!);
      if (!pod) return notFound();
      const containers = ((pod.spec as { containers?: Array<{ name: string }> }).containers ?? []).map((c) => c.name);
      let container = q.get('container');
      if (!container) {
        if (containers.length !== 1)
          return send(
            400,
            status(400, `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`),
          );
        container = containers[0]!;
      }
      if (!containers.includes(container))
        return send(400, status(400, `container ${container} is not valid for pod ${name}`));
      const params: Record<string, string[]> = {};
      for (const k of ['tailLines', 'limitBytes']) if (q.has(k)) params[k] = [q.get(k)!];
      return send(200, applyLogParameters(logs.get(`${ns}/${name}/${container}`) ?? '', params), 'text/plain');
    }

    if (!name && method === 'GET' && q.get('watch') === 'true') {
      if (opts.noWatch)
        return send(405, status(405, 'the server does not allow this method on the requested resource'));
      return watch(resource, ns, q, res);
    }
    if (!name && method === 'GET') {
      const items = store.list(resource, ns, q.get('labelSelector'), q.get('fieldSelector'));
      return send(200, {
        kind: resource === 'jobs' ? 'JobList' : 'PodList',
        apiVersion: resource === 'jobs' ? 'batch/v1' : 'v1',
        metadata: { resourceVersion: String(store.rv) },
        items,
      });
    }
    if (!name && method === 'POST' && resource === 'jobs') return createJob(ns, body, send);
    if (name && method === 'GET') {
      const o = store.get(resource, ns, name);
      return o ? send(200, o) : notFound();
    }
    if (name && method === 'DELETE') {
      const o = store.get(resource, ns, name);
      if (!o) return notFound();
      const policy =
        q.get('propagationPolicy') ??
        (body as { propagationPolicy?: string } | undefined)?.propagationPolicy ??
        'Background';
      if (resource === 'jobs' && policy !== 'Orphan')
        for (const pod of store.list('pods', ns, `job-name=${name}`, null)) store.remove('pods', ns, pod.metadata.name);
      if (policy === 'Foreground') {
        // the object is answered with its deletion marks; dependents are gone, so it goes at once
        const marked = store.put(resource, {
          ...o,
          metadata: { ...o.metadata, deletionTimestamp: new Date().toISOString(), finalizers: ['foregroundDeletion'] },
        });
        store.remove(resource, ns, name);
        return send(200, marked);
      }
      store.remove(resource, ns, name);
      return send(200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, group, kind: resource, uid: o.metadata.uid },
      });
    }
    return send(405, status(405, 'the server does not allow this method on the requested resource'));
  }

  function createJob(ns: string, body: unknown, send: (c: number, o: unknown) => void): void {
    const j = (body ?? {}) as Obj & { spec?: Record<string, unknown> };
    const meta = { ...(j.metadata ?? {}) } as Obj['metadata'] & { generateName?: string };
    const name =
      meta.name ?? (meta.generateName ? `${meta.generateName}${Math.random().toString(36).slice(2, 7)}` : '');
    const tspec = (j.spec?.template as { spec?: { containers?: unknown[]; restartPolicy?: string } } | undefined)?.spec;
    const problems: string[] = [];
    if (!name) problems.push('metadata.name: Required value: name or generateName is required');
    if (!tspec?.containers?.length) problems.push('spec.template.spec.containers: Required value');
    if (tspec && tspec.restartPolicy !== 'Never' && tspec.restartPolicy !== 'OnFailure')
      problems.push('spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
    if (problems.length)
      return send(
        422,
        status(422, `Job.batch "${name}" is invalid: ${problems.join(', ')}`, { name, group: 'batch', kind: 'Job' }),
      );
    if (store.get('jobs', ns, name))
      return send(409, status(409, `jobs.batch "${name}" already exists`, { name, group: 'batch', kind: 'jobs' }));
    const uid = randomUUID();
    const job: Obj = {
      ...j,
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        ...meta,
        name,
        namespace: ns,
        uid,
        generation: 1,
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      },
      spec: {
        backoffLimit: 6,
        completions: 1,
        parallelism: 1,
        completionMode: 'NonIndexed',
        suspend: false,
        ...j.spec,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      },
      status: {},
    };
    const created = store.put('jobs', job);
    send(201, created);
    runController(store, logs, ns, name);
  }

  function watch(resource: 'jobs' | 'pods', ns: string, q: URLSearchParams, res: http.ServerResponse): void {
    const labelSel = q.get('labelSelector');
    const fieldSel = q.get('fieldSelector');
    const from = q.get('resourceVersion');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    open.add(res);
    const write = (e: Pick<WatchEvent, 'type' | 'object'> | { type: 'ERROR'; object: unknown }) =>
      res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
    const wanted = (e: WatchEvent) =>
      e.resource === resource &&
      e.object.metadata.namespace === ns &&
      matchLabels(labelSel, e.object.metadata.labels) &&
      matchFields(fieldSel, e.object);
    const oldest = store.events[0]?.rv ?? store.rv;
    const expire = opts.expireFirstWatch && !expiredOnce && !!from && from !== '0';
    if (expire) expiredOnce = true;
    if (expire || (from && from !== '0' && Number(from) < oldest - 1)) {
      write({ type: 'ERROR', object: status(410, `too old resource version: ${from} (${oldest})`) });
      open.delete(res);
      return void res.end();
    }
    if (!from || from === '0')
      for (const o of store.list(resource, ns, labelSel, fieldSel)) write({ type: 'ADDED', object: o });
    else for (const e of store.events) if (e.rv > Number(from) && wanted(e)) write(e);
    const unsubscribe = store.subscribe((e) => {
      if (wanted(e)) write(e);
    });
    const end = () => {
      unsubscribe();
      clearTimeout(timer);
      open.delete(res);
      if (!res.writableEnded) res.end();
    };
    // a watch ends after the client's timeoutSeconds, as the API server ends it
    const watchSeconds = Number(q.get('timeoutSeconds') ?? 1800);
    const timer = setTimeout(end, watchSeconds * 1000);
    res.on('close', end);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token,
    store,
    logs,
    requests,
    writeKubeconfig(file, contexts, o = {}) {
      const lines = [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: standin',
        '  cluster:',
        `    server: ${url}`,
        // plain http: the client library insists on this flag for http:// servers
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: standin-user',
        '  user:',
        `    token: ${o.token ?? token}`,
        'contexts:',
        ...contexts.flatMap((c) => [`- name: ${c}`, '  context:', '    cluster: standin', '    user: standin-user']),
        `current-context: ${o.current ?? contexts[0] ?? ''}`,
        '',
      ];
      fs.writeFileSync(file, lines.join('\n'));
    },
    close: () =>
      new Promise<void>((r) => {
        for (const res of open) res.end();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
