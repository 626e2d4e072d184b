/** Which state a breakpoint line belongs to, as the graph preview marks it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildGraph } from '../../asl/src/graph/build';
import { buildModel } from '../../asl/src/model';
import { parseDocument } from '../../asl/src/parse';
import { stateAtLine, statesAtLines } from '../src/debug/stateLines';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const text = fs.readFileSync(path.join(root, 'examples/ecs-fan-out-map/state-machine.asl.json'), 'utf8');
const nodes = buildGraph(buildModel(parseDocument(text, 'json'))).nodes;
const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length - 1;
/** 0-based line of the first line containing `needle`. */
const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

test('a line inside a nested state is that state, not the Map around it', () => {
  assert.equal(stateAtLine(nodes, lineOf('"Convert file": {'), lineAt)?.id, 'Process files/ItemProcessor/Convert file');
  assert.equal(stateAtLine(nodes, lineOf('"AssignPublicIp"'), lineAt)?.name, 'Convert file');
});

test("a line of the Map's own fields is the Map state", () => {
  assert.equal(stateAtLine(nodes, lineOf('"MaxConcurrency"'), lineAt)?.id, 'Process files');
  assert.equal(stateAtLine(nodes, lineOf('"Process files": {'), lineAt)?.id, 'Process files');
});

test('lines outside every state belong to none', () => {
  assert.equal(stateAtLine(nodes, lineOf('"Comment"'), lineAt), undefined);
  assert.equal(stateAtLine(nodes, lineOf('"StartAt": "Process files"'), lineAt), undefined);
});

test('several breakpoints in one state mark it once', () => {
  const ids = statesAtLines(
    nodes,
    [lineOf('"Convert file": {'), lineOf('"AssignPublicIp"'), lineOf('"MaxConcurrency"'), 0],
    lineAt,
  );
  assert.deepEqual(ids, ['Process files/ItemProcessor/Convert file', 'Process files']);
});
