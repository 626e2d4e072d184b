/**
 * Navigation over the real LSP connection, JSON and YAML: definition from every kind of
 * reference, references, document highlights, rename (with every reference; collisions and
 * names over 80 characters refused), hierarchical symbols, folding ranges, JSON formatting.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { applyTextEdits, type TextEditLike } from './helpers/applyEdits';
import { positionOf } from './helpers/caret';
import { startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';

const dir = path.join(import.meta.dirname, 'fixtures/features/navigation');
const load = (name: string) => {
  const file = path.join(dir, name);
  return { uri: pathToFileURL(file).href, text: fs.readFileSync(file, 'utf8') };
};

interface Loc {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface Sym {
  name: string;
  detail?: string;
  children?: Sym[];
}

/** Position inside the n-th (0-based) occurrence of `needle`, `delta` characters in. */
function at(text: string, needle: string, delta = 1, nth = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `no ${needle}`);
  }
  return positionOf(text, i + delta);
}

const lineOf = (text: string, needle: string, nth = 0) => at(text, needle, 0, nth).line;

for (const fmt of ['json', 'yaml'] as const) {
  describe(`navigation (LSP, ${fmt})`, () => {
    let client: LspClient;
    const f = load(`machine.asl.${fmt}`);
    const q = (s: string) => (fmt === 'json' ? `"${s}"` : s);
    before(async () => {
      client = await startLspClient();
      client.open(f.uri, f.text);
    });
    after(async () => {
      await client.stop();
    });

    it('goes to the definition from Next, Default, Catch Next, Choices Next and StartAt', async () => {
      const cases: [string, number, string][] = [
        [
          fmt === 'json' ? '"Next": "Fan out"' : 'Next: Fan out',
          fmt === 'json' ? 10 : 7,
          fmt === 'json' ? '"Fan out": {' : 'Fan out:\n',
        ],
        [
          fmt === 'json' ? '"Default": "Failed"' : 'Default: Failed',
          fmt === 'json' ? 13 : 10,
          fmt === 'json' ? '"Failed": {' : 'Failed:\n',
        ],
        [
          fmt === 'json' ? '"Next": "Failed"' : 'Next: Failed',
          fmt === 'json' ? 10 : 7,
          fmt === 'json' ? '"Failed": {' : 'Failed:\n',
        ],
        [
          fmt === 'json' ? '"Next": "Done"' : 'Next: Done',
          fmt === 'json' ? 10 : 7,
          fmt === 'json' ? '"Done": {' : 'Done:\n',
        ],
        [
          fmt === 'json' ? '"StartAt": "Build"' : 'StartAt: Build',
          fmt === 'json' ? 13 : 10,
          fmt === 'json' ? '"Build": {' : 'Build:\n',
        ],
      ];
      for (const [needle, delta, target] of cases) {
        const loc = await client.request<Loc | null>('textDocument/definition', {
          textDocument: { uri: f.uri },
          position: at(f.text, needle, delta),
        });
        assert.ok(loc, `no definition for ${needle}`);
        assert.equal(loc.range.start.line, lineOf(f.text, target), `definition of ${needle}`);
      }
    });

    it('finds every reference of a state (declaration included) and highlights them', async () => {
      const pos = at(f.text, fmt === 'json' ? '"Failed": {' : 'Failed:\n', 2);
      const refs = await client.request<Loc[]>('textDocument/references', {
        textDocument: { uri: f.uri },
        position: pos,
        context: { includeDeclaration: true },
      });
      assert.equal(refs.length, 3, JSON.stringify(refs));
      const hl = await client.request<unknown[]>('textDocument/documentHighlight', {
        textDocument: { uri: f.uri },
        position: pos,
      });
      assert.equal(hl.length, 3);
    });

    it('renames a state and every reference to it', async () => {
      const pos = at(f.text, fmt === 'json' ? '"Failed": {' : 'Failed:\n', 2);
      const prep = await client.request<{ placeholder: string } | null>('textDocument/prepareRename', {
        textDocument: { uri: f.uri },
        position: pos,
      });
      assert.equal(prep?.placeholder, 'Failed');
      const edit = await client.request<{ changes: Record<string, TextEditLike[]> }>('textDocument/rename', {
        textDocument: { uri: f.uri },
        position: pos,
        newName: 'Report failure',
      });
      const next = applyTextEdits(f.text, edit.changes[f.uri]);
      assert.equal(edit.changes[f.uri].length, 3);
      assert.ok(!next.includes('Failed'));
      assert.equal(next.split(q('Report failure')).length - 1, 3);
    });

    it('quotes a new name that a YAML 1.1 reader would take for a boolean, keeping JSON as JSON', async () => {
      const pos = at(f.text, fmt === 'json' ? '"Failed": {' : 'Failed:\n', 2);
      const edit = await client.request<{ changes: Record<string, TextEditLike[]> }>('textDocument/rename', {
        textDocument: { uri: f.uri },
        position: pos,
        newName: 'y',
      });
      assert.deepEqual(
        edit.changes[f.uri].map((e) => e.newText),
        ['"y"', '"y"', '"y"'],
      );
    });

    if (fmt === 'yaml') {
      it('quotes a new name with a comma inside a flow mapping, and leaves it plain in block style', async () => {
        const uri = f.uri.replace(/machine\.asl\.yaml$/, 'flow.asl.yaml');
        const text = 'StartAt: A\nStates:\n  A: {Type: Pass, Next: B}\n  B:\n    Type: Succeed\n';
        client.open(uri, text);
        const edit = await client.request<{ changes: Record<string, TextEditLike[]> }>('textDocument/rename', {
          textDocument: { uri },
          position: at(text, 'B:\n', 0),
          newName: 'B, then C',
        });
        assert.deepEqual(edit.changes[uri].map((e) => e.newText).sort(), ['"B, then C"', 'B, then C']);
      });
    }

    it('refuses a rename to an existing name or to more than 80 characters', async () => {
      const pos = at(f.text, fmt === 'json' ? '"Done": {' : 'Done:\n', 2);
      await assert.rejects(
        client.request('textDocument/rename', { textDocument: { uri: f.uri }, position: pos, newName: 'Failed' }),
        /already exists/,
      );
      await assert.rejects(
        client.request('textDocument/rename', { textDocument: { uri: f.uri }, position: pos, newName: 'x'.repeat(81) }),
        /80 characters/,
      );
    });

    it('lists states hierarchically, with branch and processor states nested', async () => {
      const syms = await client.request<Sym[]>('textDocument/documentSymbol', { textDocument: { uri: f.uri } });
      assert.deepEqual(
        syms.map((s) => s.name),
        ['Prepare', 'Fan out', 'Decide', 'Done', 'Failed'],
      );
      const fan = syms[1];
      assert.equal(fan.detail, 'Parallel');
      assert.equal(fan.children?.[0].name, 'Branch 1');
      assert.deepEqual(
        fan.children?.[0].children?.map((s) => s.name),
        ['Build', 'Test'],
      );
      if (fmt === 'json') {
        const scan = fan.children?.[1].children?.[0];
        assert.equal(scan?.name, 'Scan');
        assert.equal(scan?.children?.[0].name, 'ItemProcessor');
        assert.deepEqual(
          scan?.children?.[0].children?.map((s) => s.name),
          ['Check'],
        );
      }
    });

    it('returns folding ranges for multi-line objects and arrays', async () => {
      const ranges = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', {
        textDocument: { uri: f.uri },
      });
      const statesLine = lineOf(f.text, fmt === 'json' ? '"States": {' : 'States:');
      assert.ok(
        ranges.some((r) => r.startLine === statesLine && r.endLine > statesLine + 10),
        JSON.stringify(ranges),
      );
    });
  });
}

describe('formatting (LSP)', () => {
  it('formats JSON with jsonc-parser and keeps key order', async () => {
    const client = await startLspClient();
    try {
      const f = load('unformatted.asl.json');
      client.open(f.uri, f.text);
      const edits = await client.request<TextEditLike[]>('textDocument/formatting', {
        textDocument: { uri: f.uri },
        options: { tabSize: 2, insertSpaces: true },
      });
      const out = applyTextEdits(f.text, edits);
      assert.deepEqual(JSON.parse(out), JSON.parse(f.text));
      assert.ok(out.indexOf('"z"') < out.indexOf('"a"'));
      assert.ok(out.includes('\n    "A": {\n      "Type": "Pass",'), out);
    } finally {
      await client.stop();
    }
  });
});
