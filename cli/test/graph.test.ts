/** `asl-workbench graph`: svg (elkjs layout in Node + the shared renderer), json, dot, mermaid; exit codes. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildGraph } from '../../asl/src/graph/build';
import { buildModel } from '../../asl/src/model';
import { parseDocument } from '../../asl/src/parse';
import { exportGraph } from '../src/graph';

const root = path.resolve(__dirname, '../..');
const example = path.join(root, 'examples/ecs-fan-out-map/state-machine.asl.json');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/src/main.ts'), 'graph', ...args],
      { cwd: root },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('asl-workbench graph', () => {
  const graph = buildGraph(buildModel(parseDocument(fs.readFileSync(example, 'utf8'), 'json')));

  it('exports every format from the same graph', async () => {
    const json = JSON.parse(await exportGraph(graph, 'json'));
    assert.deepEqual(json, JSON.parse(JSON.stringify(graph)));
    assert.match(
      await exportGraph(graph, 'dot'),
      /^digraph StateMachine \{[\s\S]*"Any failures\?" -> "Some files failed" \[label="\$\.failed\[0\] is present"\]/,
    );
    assert.match(await exportGraph(graph, 'mermaid'), /^flowchart TD\n[\s\S]*subgraph n1\["Process files \(Map\)"\]/);
    const svg = await exportGraph(graph, 'svg');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* viewBox="/);
    assert.ok(svg.includes('<style>') && !svg.includes('var(--vscode'), 'standalone colours');
    assert.equal(
      (svg.match(/<g class="node state/g) ?? []).length,
      graph.nodes.filter((n) => n.kind === 'state').length,
    );
    const dark = await exportGraph(graph, 'svg', 'dark');
    assert.ok(dark.includes('#1e1e1e') && !dark.includes('var(--'), 'dark theme with concrete colours');
  });

  it('writes the SVG to -o and exits 0', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'asl-graph-cli-')), 'g.svg');
    const r = await cli([example, '--format', 'svg', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(out, 'utf8'), /^<svg /);
  });

  it('exits 1 for a file that does not parse and 2 for usage errors', async () => {
    const broken = await cli([path.join(root, 'asl/test/fixtures/graph/broken.asl.json'), '--format', 'json']);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /Syntax error at line 5/);
    const usage = await cli([example, '--format', 'png']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown --format 'png'/);
    assert.equal((await cli([path.join(root, 'no/such/file.asl.json')])).code, 2);
  });
});
