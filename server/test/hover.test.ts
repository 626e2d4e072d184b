/**
 * Hover over the real LSP connection, one test per caret fixture under
 * fixtures/features/hover (JSON and YAML). `<name>.expected.json`:
 * { "title": behaviour, "contains": markdown fragments, "lacks"?: fragments that must not
 * appear, "none"?: true }. Every case asserts a phrase of the documentation the user reads,
 * not only the hovered word, which any hover would echo.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { caretFixtures } from './helpers/caret';
import { startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';

interface Expected {
  title: string;
  contains?: string[];
  lacks?: string[];
  none?: boolean;
}

const fixtures = caretFixtures<Expected>(path.join(import.meta.dirname, 'fixtures/features/hover'));

describe('hover (LSP)', () => {
  let client: LspClient;
  before(async () => {
    client = await startLspClient({ settings: { iam: { region: 'eu-west-1', account: '123456789012' } } });
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
      assert.ok(
        (f.expected.contains ?? []).some((c) => c.trim().split(/\s+/).length >= 3),
        'the fixture asserts a phrase of at least three words of the documentation',
      );
      assert.ok(res, 'no hover');
      for (const c of f.expected.contains ?? [])
        assert.ok(res.contents.value.includes(c), `hover lacks "${c}":\n${res.contents.value}`);
      for (const c of f.expected.lacks ?? [])
        assert.ok(!res.contents.value.includes(c), `hover has "${c}":\n${res.contents.value}`);
    });
  }
});
