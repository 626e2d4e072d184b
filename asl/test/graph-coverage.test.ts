/**
 * Test coverage on the graph (asl/src/graph/coverage.ts): a coverage report's states and
 * transitions (Next, Choice rules, Default, Catch, inside Map and Parallel) become marks on the
 * graph's node and edge ids, and follow the states by name through edits.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildGraph } from '../src/graph/build';
import { coverageMarks } from '../src/graph/coverage';
import type { GraphCoverage } from '../src/graph/types';
import { buildModel } from '../src/model';
import { parseDocument } from '../src/parse';
import { coverageOf, transitionKey, type ExitKind } from '../src/testing/coverage';

const text = fs.readFileSync(path.join(__dirname, 'fixtures', 'graph', 'all-types.asl.json'), 'utf8');

/** The coverage report of `text` after a run that took `path` (state names, with how each was left). */
function coverageAfter(
  source: string,
  states: Record<string, number>,
  taken: [string, ExitKind, string, number][],
): GraphCoverage {
  const doc = parseDocument(source, 'json');
  const transitions = Object.fromEntries(taken.map(([from, kind, to, n]) => [transitionKey(from, kind, to), n]));
  const report = coverageOf(buildModel(doc), { states, transitions }, (o) => doc.positionAt(o));
  return { run: 'the coverage run of 10:00:00', states: report.states, transitions: report.transitions };
}

/** A run down the Choice's first rule into the Map, whose one iteration ran twice. */
const fanOutRun = coverageAfter(
  text,
  { Prepare: 1, 'Run task': 1, Pause: 1, Route: 1, 'Fan out': 1, Job: 2, Done: 1 },
  [
    ['Prepare', 'next', 'Run task', 1],
    ['Run task', 'next', 'Pause', 1],
    ['Pause', 'next', 'Route', 1],
    ['Route', 'choice', 'Fan out', 1],
    ['Fan out', 'next', 'Done', 1],
  ],
);

describe('coverage marks on the graph', () => {
  it('marks every state by node id with its hits, nested Map and Parallel states included', () => {
    const graph = buildGraph(buildModel(parseDocument(text, 'json')));
    const marks = coverageMarks(graph, fanOutRun);
    assert.deepEqual(marks.nodes, {
      Prepare: 1,
      'Run task': 1,
      Pause: 1,
      Route: 1,
      'Fan out': 1,
      'Fan out/ItemProcessor/Job': 2,
      Both: 0,
      'Both/Branches[0]/Left': 0,
      'Both/Branches[1]/Right': 0,
      Done: 1,
      Failed: 0,
    });
    assert.deepEqual(marks.totals, { states: 11, statesCovered: 7, transitions: 10, transitionsCovered: 5 });
  });

  it('marks the Choice rules, the Default and each of two Catchers to the same state on their own edges', () => {
    const graph = buildGraph(buildModel(parseDocument(text, 'json')));
    const caught = coverageAfter(text, { 'Run task': 1, Failed: 1 }, [['Run task', 'catch', 'Failed', 1]]);
    const marks = coverageMarks(graph, caught);
    const edge = (source: string, kind: string, target: string, nth = 0): string => {
      const found = graph.edges.filter((e) => e.source === source && e.kind === kind && e.target === target)[nth];
      assert.ok(found, `edge ${source} -${kind}-> ${target} #${nth}`);
      return found.id;
    };
    // the history does not say which Catcher matched: the first one is counted
    assert.equal(marks.edges[edge('Run task', 'catch', 'Failed', 0)], 1);
    assert.equal(marks.edges[edge('Run task', 'catch', 'Failed', 1)], 0);
    assert.equal(marks.edges[edge('Run task', 'next', 'Pause')], 0);
    assert.equal(marks.edges[edge('Route', 'choice', 'Fan out')], 0);
    assert.equal(marks.edges[edge('Route', 'choice', 'Both')], 0);
    assert.equal(marks.edges[edge('Route', 'default', 'Done')], 0);
    assert.equal(Object.keys(marks.edges).length, 10, 'every transition of the report has its edge');
    const fanOut = coverageMarks(graph, fanOutRun);
    assert.equal(fanOut.edges[edge('Route', 'choice', 'Fan out')], 1);
    assert.equal(fanOut.edges[edge('Route', 'default', 'Done')], 0);
  });

  it('keeps the marks of the states still there after an edit, and marks nothing of a state that is gone', () => {
    const edited = JSON.parse(text) as { States: Record<string, { Next?: string }> };
    // "Pause" renamed to "Hold": a new state the run never saw, and the old one gone
    edited.States['Hold'] = edited.States['Pause']!;
    delete edited.States['Pause'];
    edited.States['Run task']!.Next = 'Hold';
    const graph = buildGraph(buildModel(parseDocument(JSON.stringify(edited, null, 2), 'json')));
    const marks = coverageMarks(graph, fanOutRun);
    assert.equal(marks.nodes['Route'], 1);
    assert.equal(marks.nodes['Failed'], 0);
    assert.equal('Hold' in marks.nodes, false, 'a state added since the run is not marked');
    assert.equal('Pause' in marks.nodes, false);
    const hold = graph.edges.find((e) => e.source === 'Run task' && e.kind === 'next');
    assert.equal(hold && hold.id in marks.edges, false, 'a transition the run did not know is not marked');
    assert.deepEqual(marks.totals, { states: 10, statesCovered: 6, transitions: 8, transitionsCovered: 3 });
  });

  it('marks nothing when no state of the report is left in the machine', () => {
    const other = buildGraph(
      buildModel(
        parseDocument('{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}', 'json'),
      ),
    );
    assert.deepEqual(coverageMarks(other, fanOutRun), {
      nodes: {},
      edges: {},
      totals: { states: 0, statesCovered: 0, transitions: 0, transitionsCovered: 0 },
    });
  });
});
