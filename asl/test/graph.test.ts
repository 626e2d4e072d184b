/** The state graph model: nodes, edges, compound scopes, labels, unreachable states, exports. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildModel } from '../src/model';
import { parseDocument } from '../src/parse';
import { buildGraph, graphNodeAtOffset, type GraphDiagnostic } from '../src/graph/build';
import { toDot, toMermaid } from '../src/graph/export';
import type { StateGraph } from '../src/graph/types';

const FIXTURES = path.join(__dirname, 'fixtures', 'graph');
const read = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function graphOf(name: string, diagnostics: GraphDiagnostic[] = []): StateGraph {
  const text = read(name);
  return buildGraph(buildModel(parseDocument(text, name.endsWith('.yaml') ? 'yaml' : 'json')), diagnostics);
}

/** The compact text form used by the expected files: "kind id in parent", "source -kind(label)-> target". */
function summary(g: StateGraph): { nodes: string[]; edges: string[] } {
  return {
    nodes: g.nodes.map((n) => `${n.kind} ${n.id}${n.parent ? ` in ${n.parent}` : ''}`),
    edges: g.edges.map((e) => `${e.source} -${e.kind}${e.label ? `(${e.label})` : ''}-> ${e.target}`),
  };
}

const node = (g: StateGraph, id: string) => {
  const n = g.nodes.find((x) => x.id === id);
  assert.ok(n, `node ${id} exists`);
  return n;
};

describe('buildGraph', () => {
  it('draws one node per state of every type, with start and terminal flags', () => {
    const g = graphOf('all-types.asl.json');
    const states = g.nodes.filter((n) => n.kind === 'state');
    assert.deepEqual(
      states.map((n) => [n.id, n.type]),
      [
        ['Prepare', 'Pass'],
        ['Run task', 'Task'],
        ['Pause', 'Wait'],
        ['Route', 'Choice'],
        ['Fan out', 'Map'],
        ['Fan out/ItemProcessor/Job', 'Task'],
        ['Both', 'Parallel'],
        ['Both/Branches[0]/Left', 'Pass'],
        ['Both/Branches[1]/Right', 'Succeed'],
        ['Done', 'Succeed'],
        ['Failed', 'Fail'],
      ],
    );
    assert.equal(node(g, 'Prepare').isStart, true);
    assert.equal(node(g, 'Run task').isStart, false);
    for (const id of ['Done', 'Failed', 'Both/Branches[0]/Left', 'Both/Branches[1]/Right', 'Fan out/ItemProcessor/Job'])
      assert.equal(node(g, id).isTerminal, true, id);
    assert.equal(node(g, 'Pause').isTerminal, false);
    assert.equal(g.problem, undefined);
  });

  it('marks ECS and EKS tasks for the icon and counts Retry rules for the badge', () => {
    const g = graphOf('all-types.asl.json');
    assert.equal(node(g, 'Run task').resourceKind, 'ecs');
    assert.equal(node(g, 'Run task').resource, 'ecs:runTask.sync');
    assert.equal(node(g, 'Run task').retryCount, 2);
    assert.equal(node(g, 'Fan out/ItemProcessor/Job').resourceKind, 'eks');
    assert.equal(node(g, 'Fan out/ItemProcessor/Job').resource, 'eks:runJob.sync');
    assert.equal(node(g, 'Prepare').retryCount, 0);
  });

  it('draws Catch edges with their error names', () => {
    const g = graphOf('all-types.asl.json');
    const catches = g.edges.filter((e) => e.kind === 'catch');
    assert.deepEqual(
      catches.map((e) => [e.source, e.target, e.label, e.errors]),
      [
        ['Run task', 'Failed', 'States.TaskFailed, States.Timeout', ['States.TaskFailed', 'States.Timeout']],
        ['Run task', 'Failed', 'States.ALL', ['States.ALL']],
      ],
    );
    assert.equal(new Set(g.edges.map((e) => e.id)).size, g.edges.length, 'edge ids are unique');
  });

  it('adds a start marker edge per scope and end marker edges from terminal states', () => {
    const g = graphOf('all-types.asl.json');
    const starts = g.edges.filter((e) => e.kind === 'start').map((e) => `${e.source} -> ${e.target}`);
    assert.deepEqual(starts.sort(), [
      'Both/Branches[0]#start -> Both/Branches[0]/Left',
      'Both/Branches[1]#start -> Both/Branches[1]/Right',
      'Fan out/ItemProcessor#start -> Fan out/ItemProcessor/Job',
      'root#start -> Prepare',
    ]);
    const ends = g.edges.filter((e) => e.kind === 'end' && e.target === 'root#end').map((e) => e.source);
    assert.deepEqual(ends, ['Done', 'Failed']);
  });

  it('nests Parallel branches and Map processors as compound nodes (Parallel inside a distributed Map)', () => {
    const g = graphOf('nested-parallel-in-map.asl.json');
    const expected = JSON.parse(read('nested-parallel-in-map.graph.json'));
    assert.deepEqual(summary(g), expected);
    assert.equal(node(g, 'Each item/ItemProcessor').name, 'Item processor (distributed)');
    assert.equal(node(g, 'Each item/ItemProcessor/Split/Branches[1]').name, 'Branch 2');
  });

  it('builds the same graph from YAML', () => {
    assert.deepEqual(
      summary(graphOf('nested-parallel-in-map.asl.yaml')),
      JSON.parse(read('nested-parallel-in-map.graph.json')),
    );
  });

  it('labels Choice rules with a short readable condition (JSONPath and JSONata)', () => {
    const g = graphOf('choice-labels.asl.json');
    const expected = JSON.parse(read('choice-labels.labels.json')) as Record<string, string[]>;
    for (const [state, labels] of Object.entries(expected)) {
      const got = g.edges
        .filter((e) => e.source === state && (e.kind === 'choice' || e.kind === 'default'))
        .map((e) => e.label);
      assert.deepEqual(got, labels, state);
    }
    for (const e of g.edges) if (e.label) assert.ok(e.label.length <= 40, `label "${e.label}" is short`);
  });

  it('still draws unreachable states, flagged, with their nested states', () => {
    const g = graphOf('unreachable.asl.json');
    const flagged = g.nodes.filter((n) => n.kind === 'state' && n.unreachable).map((n) => n.id);
    assert.deepEqual(flagged, ['Orphan', 'Orphan child', 'Orphan map', 'Orphan map/ItemProcessor/Inner']);
    assert.equal(node(g, 'First').unreachable, false);
    assert.equal(node(g, 'Last').unreachable, false);
    assert.ok(
      g.edges.some((e) => e.source === 'Orphan' && e.target === 'Orphan child'),
      'edges of unreachable states are drawn',
    );
  });

  it('gives each node the highest severity of the diagnostics inside it (innermost state)', () => {
    const text = read('all-types.asl.json');
    const at = (needle: string): number => text.indexOf(needle);
    const diags: GraphDiagnostic[] = [
      { offset: at('"td:1"'), length: 6, severity: 'warning' },
      { offset: at('"ECS.AmazonECSException"'), length: 4, severity: 'error' },
      { offset: at('"https://e"'), length: 4, severity: 'warning' },
    ];
    const g = graphOf('all-types.asl.json', diags);
    assert.equal(node(g, 'Run task').severity, 'error');
    assert.deepEqual(node(g, 'Run task').problems, { errors: 1, warnings: 1 });
    assert.equal(node(g, 'Fan out/ItemProcessor/Job').severity, 'warning');
    assert.equal(node(g, 'Fan out').severity, undefined, 'a nested state keeps its own diagnostics');
  });

  it('finds the innermost node at an offset (cursor → highlight)', () => {
    const text = read('all-types.asl.json');
    const g = graphOf('all-types.asl.json');
    assert.equal(graphNodeAtOffset(g, text.indexOf('eks:runJob'))?.id, 'Fan out/ItemProcessor/Job');
    assert.equal(graphNodeAtOffset(g, text.indexOf('"ItemsPath"'))?.id, 'Fan out');
    assert.equal(graphNodeAtOffset(g, 0), undefined);
  });

  it('reports a syntax problem but keeps what it could build; never throws on garbage', () => {
    const g = graphOf('broken.asl.json');
    assert.match(g.problem ?? '', /Syntax error at line 5/);
    for (const text of [
      '',
      '[]',
      '42',
      '{"States": 3}',
      '{"StartAt": "X", "States": {"X": {"Type": "Parallel", "Branches": [1, {"States": []}]}}}',
    ]) {
      const r = buildGraph(buildModel(parseDocument(text, 'json')));
      assert.ok(Array.isArray(r.nodes), text);
    }
    assert.match(buildGraph(buildModel(parseDocument('[]', 'json'))).problem ?? '', /not a state machine/);
  });
});

describe('graph exports', () => {
  it('writes DOT with clusters for compound nodes and every edge', () => {
    const g = graphOf('nested-parallel-in-map.asl.json');
    const dot = toDot(g);
    assert.match(dot, /^digraph StateMachine \{/);
    assert.equal((dot.match(/subgraph cluster_/g) ?? []).length, 5, 'Map, processor, Parallel, 2 branches');
    assert.equal((dot.match(/ -> /g) ?? []).length, g.edges.length);
    assert.match(dot, /label="States.ALL", style=dashed/);
  });

  it('writes a Mermaid flowchart with subgraphs and labelled edges', () => {
    const g = graphOf('all-types.asl.json');
    const mm = toMermaid(g);
    assert.match(mm, /^flowchart TD\n/);
    assert.equal((mm.match(/^\s*subgraph /gm) ?? []).length, 5, 'Map + processor, Parallel + 2 branches');
    assert.match(mm, /-->\|"\$\.mode == #quot;fan-out#quot;"\|/);
    assert.match(mm, /\{\{"Route"\}\}/, 'Choice drawn as a hexagon');
  });
});
