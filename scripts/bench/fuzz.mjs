#!/usr/bin/env node
// Robustness benchmark: 100,000 fuzzed documents (server/test/helpers/fuzz.ts — the ECS/EKS
// examples and the fixtures in JSON and YAML, mutated structurally and as text: byte flips,
// truncation, deep nesting, anchors and aliases, huge strings, random Unicode) through
// everything the server runs for a document, in-process; then 2,000 text-mutated documents
// over a real stdio connection to dist/server.js. Unlike the fuzz test it does not stop at the
// first failure. It prints:
//   crashes  a request threw, or the process or the server died
//   errors   internal-error diagnostics, ranges outside the text, edits without text,
//            requests the server failed or never answered
//   slow     requests over 1 s
// and the p50 / p99 / max latency of the requests, each failing document saved under
// .bench/fuzz/<seed>/ with the command that replays it. A new seed each run unless --seed.
//   node scripts/bench/fuzz.mjs [--smoke] [--docs N] [--stdio N] [--seed N]
//   node scripts/bench/fuzz.mjs --replay .bench/fuzz/<seed>/case-<i>-p<probe>.asl.json
// Exit status 1 when anything crashed, failed or was slow.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, importFromRoot, option, ROOT } from './_lib.mjs';

const smoke = flag('--smoke');
const DOCS = Number(option('--docs') ?? (smoke ? 500 : 100_000));
const STDIO_DOCS = Number(option('--stdio') ?? (smoke ? 50 : 2_000));
const SEED = Number(option('--seed') ?? Math.floor(Math.random() * 2 ** 30));
/** cases between two flushes of a worker's figures (what a fatal crash can lose) */
const CHUNK = 500;
const SELF = fileURLToPath(import.meta.url);
const outDir = path.join(ROOT, '.bench/fuzz', String(SEED));

/** Case i of a run, drawn from its own seed (a run never holds all its cases at once). */
const caseSeed = (i) => (SEED + i * 7919) | 0;
const stdioSeed = (j) => (SEED + 1_000_003 + j * 7919) | 0;

const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
const ms = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms` : 'n/a');

// ------------------------------------------------------------------ worker (under tsx)

async function worker() {
  const fc = (await import('fast-check')).default;
  const f = await importFromRoot('server/test/helpers/fuzz.ts');
  const mode = option('--worker');
  const current = path.join(outDir, `current-${mode}.json`);
  const results = path.join(outDir, `results-${mode}.jsonl`);
  const save = (i, c, prefix = 'case') => {
    const file = path.join(outDir, `${prefix}-${i}-p${c.probe}.asl.${c.format}`);
    fs.writeFileSync(file, c.text);
    return path.relative(ROOT, file);
  };
  const empty = () => ({ latencies: {}, cpu: {}, docs: [], failures: [], worst: { t: 0, what: 'none' } });
  let pending = empty();
  const flush = (done) => {
    fs.appendFileSync(results, JSON.stringify({ ...pending, done }) + '\n');
    pending = empty();
  };
  const doc = (t, i, what) => {
    pending.docs.push(Math.round(t * 100) / 100);
    if (t > pending.worst.t) pending.worst = { t, what: `#${i}: ${what}` };
  };
  const round = (t) => Math.round(t * 100) / 100;
  const record = (name, t, cpu) => {
    (pending.latencies[name] ??= []).push(round(t));
    if (cpu !== undefined) (pending.cpu[name] ??= []).push(round(cpu));
  };

  if (mode === 'inproc') {
    const from = Number(option('--from'));
    // compiles the validators and warms the code paths: the figures are the documents'
    for (const s of f.SEEDS) f.exercise(s.text, s.format, 1);
    for (let i = from; i < DOCS; i++) {
      const c = fc.sample(f.fuzzCase, { seed: caseSeed(i), numRuns: 1 })[0];
      fs.writeFileSync(current, JSON.stringify({ i, kind: c.kind, format: c.format, probe: c.probe, text: c.text }));
      const what = `${c.kind}, ${c.text.length} chars`;
      let o;
      try {
        o = f.exercise(c.text, c.format, c.probe);
      } catch (e) {
        const msg = String(e?.stack ?? e)
          .split('\n')
          .slice(0, 4)
          .join(' | ');
        pending.failures.push({ type: 'crash', i, what: `${msg} (${what})`, file: save(i, c) });
        continue;
      }
      let total = 0;
      for (const t of o.times) {
        record(t.name, t.ms, t.cpuMs);
        total += t.ms;
        if (t.cpuMs >= f.MAX_REQUEST_MS)
          pending.failures.push({
            type: 'slow',
            i,
            what: `${t.name} took ${ms(t.cpuMs)} of CPU, ${ms(t.ms)} of wall time (${what})`,
            file: save(i, c),
          });
      }
      doc(total, i, what);
      if (o.errors.length)
        pending.failures.push({
          type: 'error',
          i,
          what: `${o.errors.slice(0, 3).join('; ')} (${what})`,
          file: save(i, c),
        });
      if ((i + 1) % CHUNK === 0) flush(i + 1);
    }
    flush(DOCS);
    return;
  }

  if (mode === 'replay') {
    const file = option('--replay');
    const format = /\.ya?ml$/.test(file) ? 'yaml' : 'json';
    const probe = Number(/-p(\d+)\.asl\./.exec(file)?.[1] ?? 0);
    const text = fs.readFileSync(file, 'utf8');
    console.log(`${file}: ${text.length} chars, probe ${probe}`);
    for (const s of f.SEEDS) f.exercise(s.text, s.format, 1);
    let o;
    for (let k = 0; k < 3; k++) {
      o = f.exercise(text, format, probe);
      console.log(o.times.map((t) => `${t.name} ${ms(t.ms)} (CPU ${ms(t.cpuMs)})`).join(', '));
    }
    console.log(o.errors.length ? `errors: ${o.errors.join('; ')}` : 'no errors');
    return;
  }

  // stdio: text-mutated documents over a real connection, every request timed end to end
  const { startLspClient } = await import('../test-helpers/lsp-client.mjs');
  let client = await startLspClient();
  let version = 1;
  const uris = { json: 'file:///fuzz/stdio.asl.json', yaml: 'file:///fuzz/stdio.asl.yaml' };
  const openAll = () => {
    client.open(uris.json, '{}');
    client.open(uris.yaml, '{}', 'asl-yaml');
  };
  openAll();
  for (const s of f.SEEDS.slice(0, 20)) {
    const p = client.waitForDiagnostics(uris[s.format], undefined, { deadlineMs: 30_000 });
    client.changeFull(uris[s.format], ++version, s.text);
    await p.catch(() => undefined);
  }
  let logged = client.logs.length;
  for (let j = 0; j < STDIO_DOCS; j++) {
    const c = fc.sample(f.textFuzzCase, { seed: stdioSeed(j), numRuns: 1 })[0];
    const what = `${c.kind}, ${c.text.length} chars`;
    const answers = await f.sendDocument(client, uris[c.format], ++version, c.text, c.probe);
    let total = 0;
    for (const a of answers) {
      if (a.error) {
        pending.failures.push({
          type: client.exited ? 'crash' : 'error',
          i: j,
          what: `${a.name}: ${a.error} (${what})`,
          file: save(j, c, 'stdio'),
        });
        continue;
      }
      record(a.name, a.ms);
      total = Math.max(total, a.ms);
      if (a.ms >= f.MAX_REQUEST_MS)
        pending.failures.push({
          type: 'slow',
          i: j,
          what: `${a.name} took ${ms(a.ms)} (${what})`,
          file: save(j, c, 'stdio'),
        });
    }
    doc(total, j, what);
    for (const l of client.logs.slice(logged)) {
      if (l.type === 1)
        pending.failures.push({
          type: 'error',
          i: j,
          what: `server log: ${l.message.split('\n')[0]} (${what})`,
          file: save(j, c, 'stdio'),
        });
    }
    logged = client.logs.length;
    if (client.exited) {
      pending.failures.push({
        type: 'crash',
        i: j,
        what: `the server exited (${JSON.stringify(client.exited)}): ${client.stderr.slice(-300)} (${what})`,
        file: save(j, c, 'stdio'),
      });
      client = await startLspClient();
      logged = 0;
      openAll();
    }
    if ((j + 1) % CHUNK === 0) flush(j + 1);
  }
  await client.stop();
  flush(STDIO_DOCS);
}

// ------------------------------------------------------------------ parent

/** Runs a worker to the end, respawning after a fatal crash; returns the merged figures. */
async function run(mode, total) {
  const results = path.join(outDir, `results-${mode}.jsonl`);
  const current = path.join(outDir, `current-${mode}.json`);
  fs.rmSync(results, { force: true });
  const merged = { latencies: {}, cpu: {}, docs: [], failures: [], deaths: 0, worst: { t: 0, what: 'none' } };
  let from = 0;
  for (;;) {
    const args = [
      '--import',
      'tsx',
      SELF,
      '--worker',
      mode,
      '--from',
      String(from),
      '--seed',
      String(SEED),
      '--docs',
      String(DOCS),
      '--stdio',
      String(STDIO_DOCS),
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    let done = from;
    if (fs.existsSync(results)) {
      for (const line of fs.readFileSync(results, 'utf8').split('\n').filter(Boolean)) {
        const r = JSON.parse(line);
        for (const [k, xs] of Object.entries(r.latencies)) for (const x of xs) (merged.latencies[k] ??= []).push(x);
        for (const [k, xs] of Object.entries(r.cpu)) for (const x of xs) (merged.cpu[k] ??= []).push(x);
        for (const x of r.docs) merged.docs.push(x);
        merged.failures.push(...r.failures);
        if (r.worst.t > merged.worst.t) merged.worst = r.worst;
        done = r.done;
      }
      fs.rmSync(results);
    }
    if (code === 0 && done >= total) break;
    // the process died: the case in flight is a crash; go on after it
    merged.deaths++;
    let died = { i: done, kind: '?', text: '', format: 'json', probe: 0 };
    try {
      died = JSON.parse(fs.readFileSync(current, 'utf8'));
    } catch {
      /* died before its first case */
    }
    const file = path.join(
      outDir,
      `${mode === 'stdio' ? 'stdio' : 'case'}-${died.i}-p${died.probe}.asl.${died.format}`,
    );
    fs.writeFileSync(file, died.text);
    merged.failures.push({
      type: 'crash',
      i: died.i,
      what: `the process died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')} (${died.kind})`,
      file: path.relative(ROOT, file),
    });
    if (merged.deaths > 20) {
      console.error('more than 20 fatal crashes: stopping');
      break;
    }
    from = died.i + 1;
    if (mode === 'stdio' || from >= total) break;
  }
  fs.rmSync(current, { force: true });
  return merged;
}

function report(title, m) {
  const count = (t) => m.failures.filter((f) => f.type === t).length;
  const sorted = (xs) => Float64Array.from(xs).sort();
  /** p50 · p99 · max of one kind of time over all requests, and which request took the max */
  const spread = (byName) => {
    const all = sorted(Object.values(byName).flat());
    let worst = ['none', 0];
    for (const [k, xs] of Object.entries(byName)) for (const x of xs) if (x > worst[1]) worst = [k, x];
    return `p50 ${ms(pct(all, 50))} · p99 ${ms(pct(all, 99))} · max ${ms(worst[1])} (${worst[0]})`;
  };
  const requests = Object.values(m.latencies).reduce((a, xs) => a + xs.length, 0);
  const docs = sorted(m.docs);
  console.log(`\n${title}`);
  console.log(`  crashes ${count('crash')} · errors ${count('error')} · requests over 1 s ${count('slow')}`);
  console.log(`  latency over ${requests.toLocaleString('en')} requests: ${spread(m.latencies)}`);
  if (Object.keys(m.cpu).length) console.log(`  CPU time of those requests: ${spread(m.cpu)}`);
  console.log(
    `  per document (all its requests): p50 ${ms(pct(docs, 50))} · p99 ${ms(pct(docs, 99))} · max ${ms(docs.at(-1))}`,
  );
  console.log(`  slowest document ${m.worst.what}`);
  const rows = Object.entries(m.latencies).map(([k, xs]) => {
    const s = sorted(xs);
    const c = m.cpu[k] ? sorted(m.cpu[k]) : undefined;
    return {
      request: k,
      count: s.length,
      p50: ms(pct(s, 50)),
      p99: ms(pct(s, 99)),
      max: ms(s.at(-1)),
      ...(c ? { 'CPU p99': ms(pct(c, 99)), 'CPU max': ms(c.at(-1)) } : {}),
    };
  });
  console.table(rows);
  const short = (t) => (t.length > 400 ? `${t.slice(0, 200)} … ${t.slice(-200)}` : t).replace(/\s{20,}/g, ' … ');
  for (const f of m.failures.slice(0, 20))
    console.log(`  ${f.type} #${f.i}: ${short(f.what)}\n    replay: node scripts/bench/fuzz.mjs --replay ${f.file}`);
  if (m.failures.length > 20)
    console.log(`  … and ${m.failures.length - 20} more under ${path.relative(ROOT, outDir)}`);
  return m.failures.length;
}

if (option('--worker')) await worker();
else if (option('--replay') !== undefined) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SELF, '--worker', 'replay', '--replay', path.resolve(option('--replay'))],
    { cwd: ROOT, stdio: 'inherit' },
  );
  await new Promise((resolve) => child.on('exit', resolve));
} else {
  if (!fs.existsSync(path.join(ROOT, 'dist/server.js'))) {
    console.error('dist/server.js is missing: run `node scripts/build.mjs` first');
    process.exit(1);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const t0 = performance.now();
  const inproc = await run('inproc', DOCS);
  const t1 = performance.now();
  const stdio = await run('stdio', STDIO_DOCS);
  const t2 = performance.now();
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  let failed = report(
    `fuzz: ${DOCS.toLocaleString('en')} documents in-process, seed ${SEED} (${((t1 - t0) / 1000).toFixed(0)} s)`,
    inproc,
  );
  failed += report(
    `fuzz: ${STDIO_DOCS.toLocaleString('en')} documents over stdio, seed ${SEED} (${((t2 - t1) / 1000).toFixed(0)} s; latency = sent → answered)`,
    stdio,
  );
  console.log(`\nmachine load average: ${load} on ${os.cpus().length} CPUs`);
  if (!failed) fs.rmSync(outDir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}
