#!/usr/bin/env node
// Graph preview: layout (elkjs in the webview's Web Worker) + first render (SVG into the DOM)
// in Debian's Chromium, for generated machines of 7, 100, 500 and 5,000 states, through the
// same harness page as the browser tests. "cold" = the first graph of a fresh page (worker
// start + JIT included); "warm" = the next version of the same graph. Also the CLI's
// in-process layout in Node. Targets for the first paint: ≤ 300 ms up to 500 states (7
// states: the size of a typical machine), ≤ 3 s at 5,000.
//   node scripts/bench/graph.mjs [--smoke] [--json]     (--smoke: 7 and 100 states only)
import fs from 'node:fs';
import path from 'node:path';
import { ROOT as root, flag, importFromRoot as mod, reexecUnderTsx } from './_lib.mjs';

reexecUnderTsx(import.meta.url);
const { parseDocument } = await mod('asl/src/parse/index.ts');
const { buildModel } = await mod('asl/src/model.ts');
const { buildGraph } = await mod('asl/src/graph/build.ts');
const { ELK_MAX_NODES, layoutGraph } = await mod('asl/src/graph/layout.ts');
const { graphCsp } = await mod('client/src/graph/csp.ts');
const { createInProcessElk } = await mod('asl/src/graph/elkInProcess.ts');
const { generateMachine } = await mod('client/test/fixtures/graph/generate-machine.mjs');
const { CHROMIUM, launchChromium, openHarness, renderGraph, startHarness } = await mod(
  'client/test/fixtures/graph/harness.mjs',
);

const smoke = flag('--smoke');
const SIZES = smoke ? [7, 100] : [7, 100, 500, 5000];
const TARGETS = { 7: 300, 100: 300, 500: 300, 5000: 3000 };
const shots = path.join(root, 'artifacts', 'graph');
fs.mkdirSync(shots, { recursive: true });

if (!fs.existsSync(CHROMIUM)) {
  console.log(`graph bench: skipped (no Chromium at ${CHROMIUM})`);
  process.exit(0);
}

const harness = await startHarness((nonce) => graphCsp("'self'", nonce));
const browser = await launchChromium({ width: 1400, height: 1000 });
const rows = [];
let failed = false;
try {
  for (const n of SIZES) {
    const graph = buildGraph(buildModel(parseDocument(JSON.stringify(generateMachine(n)), 'json')));
    const { page, consoleErrors } = await openHarness(browser.context, harness.url);
    const uri = `file:///generated-${n}.asl.json`;
    const cold = await renderGraph(page, { type: 'graph', uri, version: 1, graph }, 300_000);
    if (cold.type !== 'rendered') throw new Error(`render failed: ${JSON.stringify(cold)}`);
    let refined;
    if (cold.engine === 'fast' && graph.nodes.length <= ELK_MAX_NODES) {
      const h = await page.waitForFunction(
        () => window.__posted.find((m) => m.type === 'rendered' && m.version === 1 && m.engine === 'elk'),
        undefined,
        { timeout: 300_000 },
      );
      refined = await h.jsonValue();
    }
    const warm = await renderGraph(page, { type: 'graph', uri, version: 2, graph }, 300_000);
    const shot = path.join(shots, `bench-${n}.png`);
    await page.screenshot({ path: shot });
    if (consoleErrors.length) throw new Error(`console errors: ${consoleErrors.join('; ')}`);
    await page.close();
    const tn = performance.now();
    await layoutGraph(graph, createInProcessElk());
    const nodeMs = performance.now() - tn;
    const row = {
      states: n,
      nodes: graph.nodes.length,
      edges: graph.edges.length,
      engine: cold.engine,
      coldLayoutMs: cold.layoutMs,
      coldRenderMs: cold.renderMs,
      coldTotalMs: cold.totalMs,
      elkRefinedMs: refined?.totalMs,
      warmLayoutMs: warm.layoutMs,
      warmRenderMs: warm.renderMs,
      warmTotalMs: warm.totalMs,
      nodeLayoutMs: nodeMs,
      targetMs: TARGETS[n],
      screenshot: path.relative(root, shot),
    };
    if (row.targetMs && row.coldTotalMs > row.targetMs) row.overTarget = true;
    rows.push(row);
  }
} catch (err) {
  failed = true;
  console.error(`graph bench: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await browser.close();
  await harness.close();
}

const f = (x) => (x === undefined ? '—' : x.toFixed(0));
if (flag('--json')) console.log(JSON.stringify(rows, null, 2));
else {
  console.log('graph preview in Chromium, ms (total = message arrival -> graph drawn, measured in the page)');
  console.log(
    'first render: the linear-time layout, at every size; then elkjs refines in the worker (up to 1,500 nodes)',
  );
  console.log(
    'states  nodes  edges | engine | cold layout  render  total | elk refined | warm layout  render  total | target | node elk/fast',
  );
  for (const r of rows) {
    console.log(
      `${String(r.states).padStart(6)} ${String(r.nodes).padStart(6)} ${String(r.edges).padStart(6)} | ${r.engine.padStart(6)} | ${f(r.coldLayoutMs).padStart(11)} ${f(r.coldRenderMs).padStart(7)} ${f(r.coldTotalMs).padStart(6)} | ${f(r.elkRefinedMs).padStart(11)} | ${f(r.warmLayoutMs).padStart(11)} ${f(r.warmRenderMs).padStart(7)} ${f(r.warmTotalMs).padStart(6)} | ${String(r.targetMs ?? '—').padStart(6)}${r.overTarget ? '!' : ' '}| ${f(r.nodeLayoutMs).padStart(11)}`,
    );
  }
  for (const r of rows) console.log(`screenshot ${r.states}: ${r.screenshot}`);
}
process.exit(failed ? 1 : 0);
