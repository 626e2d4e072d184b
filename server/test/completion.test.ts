/**
 * Completion over the real LSP connection, one test per caret fixture under
 * fixtures/features/completion (JSON and YAML). Each `<name>.expected.json` says:
 * { "title": behaviour, "includes": labels, "excludes"?: labels, "edit"?: { "label", "newText" } }.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { caretFixtures } from './helpers/caret';
import { startServer, type LspClient } from './helpers/lspClient';

interface Expected {
  title: string;
  includes?: string[];
  excludes?: string[];
  edit?: { label: string; newText: string };
  empty?: boolean;
  /** text of the additional edit every key item carries (e.g. a missing comma) */
  additionalEdit?: string;
}

interface Item {
  label: string;
  textEdit?: { newText: string };
  additionalTextEdits?: { newText: string }[];
}

const fixtures = caretFixtures<Expected>(path.join(import.meta.dirname, 'fixtures/features/completion'));

describe('completion (LSP)', () => {
  let client: LspClient;
  before(async () => {
    client = await startServer();
  });
  after(async () => {
    await client.stop();
  });

  for (const f of fixtures) {
    it(`${f.expected.title} [${f.name}]`, async () => {
      client.open(f.uri, f.text);
      const res = await client.request<{ items: Item[] } | Item[] | null>('textDocument/completion', {
        textDocument: { uri: f.uri },
        position: f.position,
      });
      client.close(f.uri);
      const items = Array.isArray(res) ? res : (res?.items ?? []);
      const labels = items.map((i) => i.label);
      if (f.expected.empty) assert.deepEqual(labels, []);
      for (const l of f.expected.includes ?? []) assert.ok(labels.includes(l), `missing "${l}" in [${labels.join(', ')}]`);
      for (const l of f.expected.excludes ?? []) assert.ok(!labels.includes(l), `unexpected "${l}"`);
      if (f.expected.additionalEdit !== undefined) {
        for (const i of items) assert.equal(i.additionalTextEdits?.[0]?.newText, f.expected.additionalEdit, i.label);
      }
      if (f.expected.edit) {
        const item = items.find((i) => i.label === f.expected.edit!.label);
        assert.ok(item, `no item ${f.expected.edit.label}`);
        assert.equal(item.textEdit?.newText, f.expected.edit.newText);
      }
    });
  }
});
