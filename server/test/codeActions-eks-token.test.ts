/**
 * The task-token quick fix for EKS Jobs, in-process: the validator reports EKS callback
 * tasks as unsupported (reference §8 item 5), so no ASL401 reaches the LSP for them; the fix
 * itself is still exercised here with a synthetic ASL401 on the Resource.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../src/core';
import { fixesFor } from '../src/features/codeActions/fixes';
import { passesToken } from '../src/rules/integrations/patterns';
import { applyTextEdits, type TextEditLike } from './helpers/applyEdits';

const dir = path.join(import.meta.dirname, 'fixtures/features/codeActions-inprocess');

describe('task token quick fix for eks:runJob (in-process)', () => {
  for (const name of ['token-eks.asl.yaml', 'token-eks.asl.json']) {
    it(`adds the token to the first Job container's env [${name}]`, () => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const format = name.endsWith('.yaml') ? 'yaml' : 'json';
      const { doc, model } = analyze(text, format);
      const state = model.states[0];
      assert.equal(passesToken(state), false);
      const res = state.node.children!.find((p) => p.children?.[0]?.value === 'Resource')!.children![1];
      const diag = { range: doc.rangeOf(res.offset, res.length), code: 'ASL401', message: 'no token', source: 'asl-workbench' };
      const fixes = fixesFor(doc, model, 'file:///x', diag);
      const fix = fixes.find((f) => f.title.includes('task token'));
      assert.ok(fix, fixes.map((f) => f.title).join(', '));
      const fixed = applyTextEdits(text, fix.edit!.changes!['file:///x'] as TextEditLike[]);
      const again = analyze(fixed, format);
      assert.deepEqual(again.doc.problems, []);
      assert.equal(passesToken(again.model.states[0]), true, fixed);
      assert.ok(fixed.includes(format === 'yaml' ? 'value.$: $$.Task.Token' : '"value": "{% $states.context.Task.Token %}"'), fixed);
    });
  }
});
