/**
 * Tolerance of the language features (in-process): at every offset of the feature fixtures,
 * and of truncated copies of them (documents mid-edit), completion, hover, definition,
 * prepareRename, code actions, symbols and folding answer without throwing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { analyze } from '../../asl/src/analyze';
import { validateModel } from '../../asl/src/rules';
import { completeAt } from '../src/features/completion';
import { hoverAt } from '../src/features/hover';
import { definitionAt } from '../src/features/navigation';
import { prepareRenameAt } from '../src/features/rename';
import { documentSymbols } from '../src/features/symbols';
import { foldingRanges } from '../src/features/folding';
import { codeActionsFor } from '../src/features/codeActions';

const root = path.join(import.meta.dirname, 'fixtures/features');
const files = [
  'completion/ecs-container-override.asl.json',
  'completion/ecs-container-override-yaml.asl.yaml',
  'navigation/machine.asl.yaml',
  'codeActions/token-ecs.asl.json',
  'hover/eks-resource-yaml.asl.yaml',
];

function exercise(text: string, format: 'json' | 'yaml', step: number): number {
  const { doc, model } = analyze(text, format);
  const diags: Diagnostic[] = validateModel(model).map((d) => ({
    range: doc.rangeOf(d.offset, d.length),
    code: d.code,
    message: d.message,
    data: d.data,
    source: 'asl-workbench',
  }));
  documentSymbols(doc, model);
  foldingRanges(doc);
  let answered = 0;
  for (let o = 0; o <= text.length; o += step) {
    completeAt(doc, model, o);
    hoverAt(doc, model, o);
    definitionAt(doc, model, 'file:///x', o);
    prepareRenameAt(doc, model, o);
    const pos = doc.positionAt(o);
    codeActionsFor(doc, model, {
      textDocument: { uri: 'file:///x' },
      range: { start: pos, end: pos },
      context: { diagnostics: diags },
    });
    answered++;
  }
  return answered;
}

describe('language features on every position of broken documents', () => {
  for (const rel of files) {
    it(`never throws on ${rel} and its truncations`, () => {
      const raw = fs.readFileSync(path.join(root, rel), 'utf8').replace('|', '');
      const format = rel.endsWith('.yaml') ? 'yaml' : 'json';
      assert.ok(exercise(raw, format, 1) > 0);
      for (const cut of [0.2, 0.45, 0.7, 0.9]) exercise(raw.slice(0, Math.floor(raw.length * cut)), format, 3);
    });
  }
});
