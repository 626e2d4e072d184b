/**
 * The local JSON edits behind quick fixes: inserted members follow the container's layout
 * (multi-line at the siblings' indentation, inline, minified, tabs), removals take one comma
 * with them, and every edit stays inside the container it changes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from '../../asl/src/parse';
import type { AstNode, ParsedDocument } from '../../asl/src/types';
import {
  insertProperties,
  removeProperty,
  appendArrayItem,
  removeArrayItem,
  type LocalEdit,
} from '../src/features/codeActions/edits';
import { getProperty, getValue } from '../../asl/src/parse/tree';

function apply(doc: ParsedDocument, e: LocalEdit | undefined): string {
  assert.ok(e);
  return doc.text.slice(0, e.offset) + e.text + doc.text.slice(e.offset + e.length);
}

function stateA(text: string): { doc: ParsedDocument; a: AstNode } {
  const doc = parseDocument(text, 'json');
  const a = getValue(getValue(doc.root, 'States'), 'A');
  assert.ok(a);
  return { doc, a };
}

describe('JSON quick-fix edits', () => {
  it('inserts into a multi-line object at the siblings’ indentation', () => {
    const { doc, a } = stateA('{\n  "StartAt": "A",\n  "States": {\n    "A": {\n      "Type": "Pass"\n    }\n  }\n}\n');
    assert.equal(
      apply(doc, insertProperties(doc, a, [['End', true]])),
      '{\n  "StartAt": "A",\n  "States": {\n    "A": {\n      "Type": "Pass",\n      "End": true\n    }\n  }\n}\n',
    );
  });

  it('inserts inline into a one-line object and keeps a minified document minified', () => {
    const inline = stateA('{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass" }\n  }\n}');
    assert.match(
      apply(inline.doc, insertProperties(inline.doc, inline.a, [['End', true]])),
      /"A": \{ "Type": "Pass", "End": true \}/,
    );
    const mini = stateA('{"StartAt":"A","States":{"A":{"Type":"Pass"}}}');
    assert.equal(
      apply(mini.doc, insertProperties(mini.doc, mini.a, [['End', true]])),
      '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}',
    );
  });

  it('lays out a one-line object over several lines when it receives an object', () => {
    const { doc, a } = stateA('{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Map", "End": true }\n  }\n}');
    const out = apply(
      doc,
      insertProperties(doc, a, [['ItemProcessor', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }]]),
    );
    assert.match(out, /\n {6}"ItemProcessor": \{\n {8}"StartAt": "P",/);
    assert.deepEqual(JSON.parse(out).States.A.ItemProcessor.States.P, { Type: 'Pass', End: true });
  });

  it('uses tabs in a tab-indented document and fills an empty object', () => {
    const { doc, a } = stateA(
      '{\n\t"StartAt": "A",\n\t"States": {\n\t\t"A": {\n\t\t\t"Type": "Task",\n\t\t\t"Parameters": {}\n\t\t}\n\t}\n}',
    );
    const params = getValue(a, 'Parameters')!;
    assert.equal(apply(doc, insertProperties(doc, params, [['Cluster', 'c']])).split('\n')[5], '\t\t\t"Parameters": {');
    assert.match(
      apply(doc, insertProperties(doc, params, [['Cluster', 'c']])),
      /"Parameters": \{\n\t{4}"Cluster": "c"\n\t{3}\}/,
    );
  });

  it('removes the first, a middle and the only member with one comma', () => {
    const { doc, a } = stateA('{"StartAt":"A","States":{"A":{"Type":"Pass","Comment":"x","End":true}}}');
    assert.equal(
      apply(doc, removeProperty(doc, getProperty(a, 'Type')!)),
      '{"StartAt":"A","States":{"A":{"Comment":"x","End":true}}}',
    );
    assert.equal(
      apply(doc, removeProperty(doc, getProperty(a, 'Comment')!)),
      '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}',
    );
    const arr = parseDocument('{"a": [1, 2, 3], "b": [4]}', 'json');
    const a1 = getValue(arr.root, 'a')!;
    assert.equal(apply(arr, removeArrayItem(arr, a1.children![2])), '{"a": [1, 2], "b": [4]}');
    assert.equal(apply(arr, removeArrayItem(arr, getValue(arr.root, 'b')!.children![0])), '{"a": [1, 2, 3], "b": []}');
    assert.equal(apply(arr, appendArrayItem(arr, a1, 4)), '{"a": [1, 2, 3, 4], "b": [4]}');
  });

  it('removes the flagged one of two duplicate keys', () => {
    const doc = parseDocument('{"A": {"Type": "Succeed", "Type": "Pass"}}', 'json');
    const second = getValue(doc.root, 'A')!.children![1];
    assert.equal(apply(doc, removeProperty(doc, second)), '{"A": {"Type": "Succeed"}}');
  });
});
