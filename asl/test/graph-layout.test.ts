/** Layout of the state graph: elkjs (in-process) and the linear-time fallback for huge machines. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildModel } from '../src/model';
import { parseDocument } from '../src/parse';
import { buildGraph } from '../src/graph/build';
import { fastLayout } from '../src/graph/fastLayout';
import { ELK_MAX_NODES, layoutGraph } from '../src/graph/layout';
import { renderSvg } from '../src/graph/svg';
import { LIGHT_PALETTE } from '../src/graph/theme';
import type { GraphLayout, StateGraph } from '../src/graph/types';
import { createInProcessElk } from '../src/graph/elkInProcess';
import { generateMachine } from '../../client/test/fixtures/graph/generate-machine.mjs';

const FIXTURES = path.join(__dirname, 'fixtures', 'graph');
const graphOf = (name: string): StateGraph =>
  buildGraph(buildModel(parseDocument(fs.readFileSync(path.join(FIXTURES, name), 'utf8'), 'json')));

/** Overlapping node pairs, ignoring a node and its ancestors. */
function overlaps(graph: StateGraph, layout: GraphLayout): string[] {
  const parent = new Map(graph.nodes.map((n) => [n.id, n.parent]));
  const isAncestor = (a: string, b: string): boolean => {
    for (let p = parent.get(b); p; p = parent.get(p)) if (p === a) return true;
    return false;
  };
  const boxes = graph.nodes.map((n) => ({ id: n.id, b: layout.nodes[n.id] })).sort((x, y) => x.b.x - y.b.x);
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].b.x < a.b.x + a.b.width - 0.5; j++) {
      const c = boxes[j];
      const h = Math.min(a.b.y + a.b.height, c.b.y + c.b.height) - Math.max(a.b.y, c.b.y);
      if (h > 0.5 && !isAncestor(a.id, c.id) && !isAncestor(c.id, a.id)) out.push(`${a.id} / ${c.id}`);
    }
  }
  return out;
}

/** Shortest distance between a label box and an orthogonal polyline, px (0 when they touch). */
function distanceToEdge(
  r: { x: number; y: number; width: number; height: number },
  points: { x: number; y: number }[],
): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    const x1 = Math.min(a.x, b.x);
    const x2 = Math.max(a.x, b.x);
    const y1 = Math.min(a.y, b.y);
    const y2 = Math.max(a.y, b.y);
    const dx = Math.max(0, x1 - (r.x + r.width), r.x - x2);
    const dy = Math.max(0, y1 - (r.y + r.height), r.y - y2);
    best = Math.min(best, Math.hypot(dx, dy));
  }
  return best;
}

const boxesOverlap = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function assertComplete(graph: StateGraph, layout: GraphLayout): void {
  for (const n of graph.nodes) assert.ok(layout.nodes[n.id], `node ${n.id} placed`);
  for (const e of graph.edges) assert.ok((layout.edges[e.id]?.points.length ?? 0) >= 2, `edge ${e.id} routed`);
  for (const n of graph.nodes) {
    const b = layout.nodes[n.id];
    const p = n.parent ? layout.nodes[n.parent] : undefined;
    if (p)
      assert.ok(
        b.x >= p.x && b.y >= p.y && b.x + b.width <= p.x + p.width + 0.5 && b.y + b.height <= p.y + p.height + 0.5,
        `${n.id} inside ${n.parent}`,
      );
  }
}

describe('graph layout', () => {
  it('elkjs lays out nested compound nodes without overlaps, children inside their parents', async () => {
    const g = graphOf('nested-parallel-in-map.asl.json');
    const layout = await layoutGraph(g, createInProcessElk());
    assertComplete(g, layout);
    assert.deepEqual(overlaps(g, layout), []);
  });

  it('the fallback lays out every fixture without overlaps', () => {
    for (const f of [
      'all-types.asl.json',
      'nested-parallel-in-map.asl.json',
      'unreachable.asl.json',
      'choice-labels.asl.json',
    ]) {
      const g = graphOf(f);
      const layout = fastLayout(g);
      assertComplete(g, layout);
      assert.deepEqual(overlaps(g, layout), [], f);
    }
  });

  it('uses the fallback above the elkjs limit: a 5,000-state machine, complete and without overlaps', async () => {
    const g = buildGraph(buildModel(parseDocument(JSON.stringify(generateMachine(5000)), 'json')));
    assert.ok(g.nodes.length > ELK_MAX_NODES);
    const elkNeverCalled = { layout: () => Promise.reject(new Error('elk must not run')) };
    const layout = await layoutGraph(g, elkNeverCalled);
    assertComplete(g, layout);
    assert.deepEqual(overlaps(g, layout), []);
  });

  it('puts each edge label beside its own edge (a Catch label by its dashed edge, not by the Next edge)', async () => {
    for (const f of ['catch-beside-next.asl.json', 'all-types.asl.json', 'choice-labels.asl.json']) {
      const g = graphOf(f);
      const compound = new Set(g.nodes.map((n) => n.parent).filter(Boolean));
      for (const [engine, layout] of [
        ['elk', await layoutGraph(g, createInProcessElk())],
        ['fast', fastLayout(g)],
      ] as const) {
        const placed: { x: number; y: number; width: number; height: number }[] = [];
        for (const e of g.edges.filter((x) => x.label)) {
          const label = layout.edges[e.id].label!;
          const where = `${f} ${engine}: "${e.label}"`;
          const own = distanceToEdge(label, layout.edges[e.id].points);
          assert.ok(own <= 5, `${where} is ${own.toFixed(1)} px from its edge`);
          assert.ok(
            label.x >= 0 && label.y >= 0 && label.x + label.width <= layout.width,
            `${where} inside the drawing`,
          );
          for (const [id, b] of Object.entries(layout.nodes))
            if (!compound.has(id)) assert.ok(!boxesOverlap(label, b), `${where} covers ${id}`);
          for (const p of placed) assert.ok(!boxesOverlap(label, p), `${where} covers another label`);
          placed.push(label);
          // no other edge comes as close as its own (the fast layout, drawn only until elkjs is
          // done, may let a long label cross a neighbour in crowded fans)
          if (f === 'choice-labels.asl.json' || (engine === 'fast' && f !== 'catch-beside-next.asl.json')) continue;
          for (const other of g.edges.filter((x) => x.id !== e.id)) {
            const d = distanceToEdge(label, layout.edges[other.id].points);
            assert.ok(d > own, `${where} is as close to ${other.id} (${d.toFixed(1)} px) as to its own edge`);
          }
        }
      }
    }
    // the case users saw: the Catch label touches its dashed edge, and is well away from the solid Next edge
    const g = graphOf('catch-beside-next.asl.json');
    for (const layout of [await layoutGraph(g, createInProcessElk()), fastLayout(g)]) {
      const catchEdge = g.edges.find((e) => e.kind === 'catch')!;
      const next = g.edges.find((e) => e.kind === 'next')!;
      const label = layout.edges[catchEdge.id].label!;
      assert.ok(distanceToEdge(label, layout.edges[catchEdge.id].points) <= 5);
      assert.ok(distanceToEdge(label, layout.edges[next.id].points) > 15);
    }
  });

  it('renders escaped, self-contained SVG with one group per state and edge', async () => {
    const g = graphOf('all-types.asl.json');
    g.nodes.find((n) => n.id === 'Prepare')!.name = 'Prepare <&> "x"';
    const svg = renderSvg(g, fastLayout(g), { palette: LIGHT_PALETTE });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.includes('Prepare &lt;&amp;&gt; &quot;x&quot;'));
    assert.ok(!svg.includes('style="'), 'no style attributes (strict CSP)');
    assert.equal((svg.match(/<g class="node state/g) ?? []).length, g.nodes.filter((n) => n.kind === 'state').length);
    assert.equal((svg.match(/<g class="edge /g) ?? []).length, g.edges.length);
  });
});
