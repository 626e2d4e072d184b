/**
 * `eks:runJob.waitForTaskToken` (in-process): Step Functions does not support the callback
 * pattern for EKS, so EKS502 reports it and its quick fixes change the Resource to the `.sync`
 * variant (preferred: it waits for the Job, as the callback meant to) instead of passing a
 * task token into the Job container.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../asl/src/analyze';
import { codeActionsFor } from '../src/features/codeActions';
import { toLspDiagnostic } from '../src/features/shared/lspDiagnostic';
import { validateModel } from '../../asl/src/rules';
import { applyTextEdits, type TextEditLike } from './helpers/applyEdits';

const dir = path.join(import.meta.dirname, 'fixtures/features/codeActions-inprocess');
const URI = 'file:///eks-callback';

function diagnose(text: string, format: 'json' | 'yaml') {
  const { doc, model } = analyze(text, format);
  return { doc, model, diags: validateModel(model).map((d) => toLspDiagnostic(d, doc, URI)) };
}

describe('quick fix for eks:runJob.waitForTaskToken', () => {
  for (const name of ['eks-callback.asl.json', 'eks-callback.asl.yaml']) {
    const format = name.endsWith('.yaml') ? 'yaml' : 'json';
    const text = fs.readFileSync(path.join(dir, name), 'utf8');

    it(`changes the Resource to eks:runJob.sync and re-validates clean [${name}]`, () => {
      const { doc, model, diags } = diagnose(text, format);
      const eks502 = diags.find((d) => d.code === 'EKS502');
      assert.ok(eks502, diags.map((d) => `${String(d.code)} ${d.message}`).join('\n'));
      assert.match(eks502.message, /does not support the \.waitForTaskToken pattern.*Use \.sync to wait/);
      const actions = codeActionsFor(doc, model, {
        textDocument: { uri: URI },
        range: eks502.range,
        context: { diagnostics: [eks502] },
      });
      const preferred = actions.find((a) => a.isPreferred);
      assert.equal(
        preferred?.title,
        "Change 'arn:aws:states:::eks:runJob.waitForTaskToken' to 'arn:aws:states:::eks:runJob.sync'",
        actions.map((a) => a.title).join('\n'),
      );
      const fixed = applyTextEdits(text, preferred!.edit!.changes![URI] as TextEditLike[]);
      assert.match(fixed, /arn:aws:states:::eks:runJob\.sync["\n]/);
      const again = diagnose(fixed, format);
      assert.deepEqual(
        again.diags.filter((d) => d.severity === 1).map((d) => `${String(d.code)} ${d.message}`),
        [],
      );
    });

    it(`offers no fix that passes a task token to the Job container, even for an ASL401 on it [${name}]`, () => {
      const { doc, model, diags } = diagnose(text, format);
      const eks502 = diags.find((d) => d.code === 'EKS502')!;
      // ASL401 is not reported for EKS (EKS502 wins); a client may still send one it kept
      const asl401 = { ...eks502, code: 'ASL401', message: 'no token', data: undefined };
      const titles = codeActionsFor(doc, model, {
        textDocument: { uri: URI },
        range: eks502.range,
        context: { diagnostics: [eks502, asl401] },
      }).map((a) => a.title);
      assert.ok(titles.length > 0);
      assert.ok(!titles.some((t) => /task token/i.test(t)), titles.join('\n'));
    });
  }
});
