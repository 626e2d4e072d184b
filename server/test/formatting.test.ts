/**
 * Formatting limits over the real LSP connection: a document nested deeper, or formatting to
 * more text, than any real state machine gets no edit and a warning saying why, at once;
 * documents up to the limits are formatted to the same JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateNestedMachine } from '../../scripts/bench/_generate.mjs';
import { MAX_FORMAT_DEPTH } from '../src/features/formatting';
import { applyTextEdits, type TextEditLike } from './helpers/applyEdits';
import { startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';

const OPTIONS = { tabSize: 2, insertSpaces: true };
/** A refusal is a scan of the text; this is a generous multiple of what it takes. */
const GENEROUS_MS = 2000;

describe('formatting limits (LSP)', () => {
  let client: LspClient;
  const warnings: string[] = [];
  let n = 0;

  before(async () => {
    client = await startLspClient();
    client.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      if (p.type === 2) warnings.push(p.message);
    });
  });
  after(async () => {
    await client?.stop();
  });

  /** Opens `text` and asks for document (or range) formatting; the edits, the time taken and the new warnings. */
  async function format(text: string, range?: boolean) {
    const uri = `file:///fmt/doc${++n}.asl.json`;
    client.open(uri, text);
    // the time measured is the request's own, not the document's first analysis
    await client.waitForDiagnostics(uri, (p) => p.version === 1, { deadlineMs: 60_000, includePast: true });
    const before = warnings.length;
    const t0 = performance.now();
    const edits = range
      ? await client.request<TextEditLike[]>('textDocument/rangeFormatting', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 200 } },
          options: OPTIONS,
        })
      : await client.request<TextEditLike[]>('textDocument/formatting', { textDocument: { uri }, options: OPTIONS });
    const ms = performance.now() - t0;
    // the warning is sent before the answer, so it has arrived
    return { edits, ms, warnings: warnings.slice(before) };
  }

  for (const range of [false, true]) {
    it(`refuses ${range ? 'range ' : ''}formatting 1,000 nested Map/Parallel states (80 KB) with a warning, at once`, async () => {
      const text = JSON.stringify(generateNestedMachine(1000));
      assert.ok(text.length > 75_000);
      const r = await format(text, range);
      assert.deepEqual(r.edits, []);
      assert.deepEqual(r.warnings, [
        `Not formatted: the document nests objects and arrays more than ${MAX_FORMAT_DEPTH} levels deep, deeper than any real state machine.`,
      ]);
      assert.ok(r.ms < GENEROUS_MS, `${r.ms.toFixed(0)} ms`);
    });
  }

  it('refuses formatting whose result would be over 8 MiB (a 100 KB array 200 levels deep)', async () => {
    const text = `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":${'['.repeat(200)}${'1,'.repeat(50_000)}1${']'.repeat(200)},"End":true}}}`;
    const r = await format(text);
    assert.deepEqual(r.edits, []);
    assert.deepEqual(r.warnings, [
      'Not formatted: the formatted document would be over 8 MiB, eight times the largest definition Step Functions accepts.',
    ]);
    assert.ok(r.ms < GENEROUS_MS, `${r.ms.toFixed(0)} ms`);
  });

  it('formats a machine of 60 nested states, indented past 200 columns, to the same JSON', async () => {
    const value = generateNestedMachine(60);
    const text = JSON.stringify(value);
    const r = await format(text);
    assert.deepEqual(r.warnings, []);
    assert.ok(r.edits.length > 0);
    for (const e of r.edits) assert.equal(typeof e.newText, 'string');
    const out = applyTextEdits(text, r.edits);
    assert.deepEqual(JSON.parse(out), value);
    assert.ok(out.includes(`\n${' '.repeat(200)}"`), 'a line indented by exactly 200 spaces');
  });
});
