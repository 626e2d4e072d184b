/**
 * Hover over the real LSP connection, one test per caret fixture under
 * fixtures/features/hover (JSON and YAML). `<name>.expected.json`:
 * { "title": behaviour, "contains": markdown fragments, "none"?: true }.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { caretFixtures } from './helpers/caret';
import { startServer, type LspClient } from './helpers/lspClient';

interface Expected {
  title: string;
  contains?: string[];
  none?: boolean;
}

const fixtures = caretFixtures<Expected>(path.join(import.meta.dirname, 'fixtures/features/hover'));

describe('hover (LSP)', () => {
  let client: LspClient;
  before(async () => {
    client = await startServer({ iam: { region: 'eu-west-1', account: '123456789012' } });
  });
  after(async () => {
    await client.stop();
  });

  for (const f of fixtures) {
    it(`${f.expected.title} [${f.name}]`, async () => {
      client.open(f.uri, f.text);
      const res = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri: f.uri },
        position: f.position,
      });
      client.close(f.uri);
      if (f.expected.none) {
        assert.equal(res, null);
        return;
      }
      assert.ok(res, 'no hover');
      for (const c of f.expected.contains ?? []) assert.ok(res.contents.value.includes(c), `hover lacks "${c}":\n${res.contents.value}`);
    });
  }
});
