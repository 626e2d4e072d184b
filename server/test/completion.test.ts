/**
 * Completion over the real LSP connection, one test per caret fixture under
 * fixtures/features/completion (JSON and YAML). Each `<name>.expected.json` says:
 * { "title": behaviour, "includes": labels, "excludes"?: labels, "edit"?: { "label", "newText" },
 *   "trigger"?: the typed trigger character, "order"?: labels in the order the list ranks them,
 *   "retrigger"? / "noRetrigger"?: labels that do / do not open the list again once inserted,
 *   "noSnippets"?: no snippet item, "apply"?: { "label", "codes"? } }.
 * `apply` accepts the item as an editor does (its edit and additional edits, every placeholder
 * at its default): the document becomes `<name>.after` and has no error or warning but `codes`.
 * In every list, each label appears once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { expandSnippet } from '../../client/test/helpers/expandSnippet';
import { applyTextEdits, type TextEditLike } from './helpers/applyEdits';
import { caretFixtures } from './helpers/caret';
import { startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';

interface Expected {
  title: string;
  includes?: string[];
  excludes?: string[];
  edit?: { label: string; newText: string };
  empty?: boolean;
  /** text of the additional edit every key item carries (e.g. a missing comma) */
  additionalEdit?: string;
  trigger?: string;
  order?: string[];
  retrigger?: string[];
  noRetrigger?: string[];
  noSnippets?: boolean;
  apply?: { label: string; codes?: string[] };
}

interface Item {
  label: string;
  kind?: number;
  sortText?: string;
  filterText?: string;
  insertTextFormat?: number;
  textEdit?: TextEditLike;
  additionalTextEdits?: TextEditLike[];
  command?: { command: string };
}

const SNIPPET_KIND = 15;
const SNIPPET_FORMAT = 2;
const fixtures = caretFixtures<Expected>(path.join(import.meta.dirname, 'fixtures/features/completion'));

/** The list as the editor ranks it before anything more is typed: by sortText, else label. */
function ranked(items: Item[]): string[] {
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
}

/**
 * Whether an editor keeps `item` in the list at `offset`: the text from the start of its range
 * to the caret (leading whitespace skipped, as VS Code does) is a subsequence of its filter text.
 */
function visible(text: string, offset: number, item: Item): boolean {
  const lines = text.split('\n');
  const start = item.textEdit!.range.start;
  const startOffset = lines.slice(0, start.line).reduce((n, l) => n + l.length + 1, 0) + start.character;
  const word = text.slice(startOffset, offset).trimStart().toLowerCase();
  const target = (item.filterText ?? item.label).toLowerCase();
  let i = 0;
  for (const c of target) if (c === word[i]) i++;
  return i >= word.length;
}

/** The text after accepting `item`, with every snippet placeholder at its default. */
function accept(text: string, item: Item): string {
  const expand = (e: TextEditLike) => ({
    ...e,
    newText: item.insertTextFormat === SNIPPET_FORMAT ? expandSnippet(e.newText) : e.newText,
  });
  return applyTextEdits(text, [expand(item.textEdit!), ...(item.additionalTextEdits ?? [])]);
}

describe('completion (LSP)', () => {
  let client: LspClient;
  before(async () => {
    client = await startLspClient();
  });
  after(async () => {
    await client.stop();
  });

  it('asks the editor to complete on the characters that start keys, values and paths', () => {
    const provider = client.initializeResult.capabilities.completionProvider as { triggerCharacters: string[] };
    assert.deepEqual([...provider.triggerCharacters].sort(), [' ', '"', '$', '.', ':']);
  });

  it('every YAML state snippet keeps its structure in a document indented by four spaces', async () => {
    const at = async (unit: string) => {
      const text = `StartAt: A\nStates:\n${unit}A:\n${unit}${unit}Type: Pass\n${unit}${unit}End: true\n${unit}`;
      const uri = `file:///snippets-${unit.length}.asl.yaml`;
      client.open(uri, text);
      const res = await client.request<{ items: Item[] }>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 5, character: unit.length },
      });
      client.close(uri);
      const states = new Map<string, unknown>();
      for (const item of res.items.filter((i) => i.kind === SNIPPET_KIND)) {
        states.set(item.label, (YAML.parse(accept(text, item)) as { States: unknown }).States);
      }
      return states;
    };
    const [two, four] = [await at('  '), await at('    ')];
    assert.ok(two.size >= 10, `${two.size} snippets`);
    assert.deepEqual([...four.keys()], [...two.keys()]);
    for (const [label, states] of two) assert.deepEqual(four.get(label), states, label);
  });

  for (const f of fixtures) {
    it(`${f.expected.title} [${f.name}]`, async () => {
      const x = f.expected;
      client.open(f.uri, f.text);
      const res = await client.request<{ items: Item[] } | Item[] | null>('textDocument/completion', {
        textDocument: { uri: f.uri },
        position: f.position,
        context: x.trigger ? { triggerKind: 2, triggerCharacter: x.trigger } : { triggerKind: 1 },
      });
      client.close(f.uri);
      const items = Array.isArray(res) ? res : (res?.items ?? []);
      const labels = items.map((i) => i.label);
      const byLabel = (l: string) => {
        const item = items.find((i) => i.label === l);
        assert.ok(item, `no item ${l} in [${labels.join(', ')}]`);
        return item;
      };
      assert.deepEqual(
        labels.filter((l, i) => labels.indexOf(l) !== i),
        [],
        'labels listed twice',
      );
      if (x.empty) assert.deepEqual(labels, []);
      for (const l of x.includes ?? []) assert.ok(labels.includes(l), `missing "${l}" in [${labels.join(', ')}]`);
      // what a test accepts or ranks must also survive the editor's filtering by the typed text
      const picked = [...(x.order ?? []), x.edit?.label, x.apply?.label].filter((l): l is string => !!l);
      for (const l of picked)
        assert.ok(visible(f.text, f.offset, byLabel(l)), `"${l}" is filtered out by what was typed`);
      for (const l of x.excludes ?? []) assert.ok(!labels.includes(l), `unexpected "${l}"`);
      if (x.noSnippets)
        assert.deepEqual(
          items.filter((i) => i.kind === SNIPPET_KIND).map((i) => i.label),
          [],
        );
      if (x.order) {
        const list = ranked(items);
        assert.deepEqual(
          list.filter((l) => x.order!.includes(l)),
          x.order,
          `ranked: ${list.join(', ')}`,
        );
      }
      for (const l of x.retrigger ?? []) assert.equal(byLabel(l).command?.command, 'editor.action.triggerSuggest', l);
      for (const l of x.noRetrigger ?? []) assert.equal(byLabel(l).command, undefined, l);
      if (x.additionalEdit !== undefined) {
        for (const i of items) assert.equal(i.additionalTextEdits?.[0]?.newText, x.additionalEdit, i.label);
      }
      if (x.edit) assert.equal(byLabel(x.edit.label).textEdit?.newText, x.edit.newText);
      if (x.apply) {
        const text = accept(f.text, byLabel(x.apply.label));
        const afterFile = f.file.replace(/\.asl\.(json|ya?ml)$/, '.after');
        assert.equal(text, fs.readFileSync(afterFile, 'utf8'), `accepting ${x.apply.label}`);
        const uri = f.uri.replace(/(\.asl\.(json|ya?ml))$/, '-accepted$1');
        const published = client.waitForDiagnostics(uri);
        client.open(uri, text);
        const diags = (await published).diagnostics.filter((d) => (d.severity ?? 1) <= 2);
        client.close(uri);
        assert.deepEqual(
          diags.map((d) => d.code),
          x.apply.codes ?? [],
          diags.map((d) => d.message).join('\n'),
        );
      }
    });
  }
});
