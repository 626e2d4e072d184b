/**
 * Diagnostics over a real LSP connection: starts the built `dist/server.js --stdio`, speaks
 * JSON-RPC (vscode-jsonrpc framing) and checks publishDiagnostics on open, incremental change
 * (including a document broken mid-edit), settings changes and close.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startLspClient,
  positionAt,
  type LspClient,
  type PublishedDiagnostics,
} from '../../scripts/test-helpers/lsp-client.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => fs.readFileSync(path.join(here, 'fixtures/lsp', name), 'utf8');

const codes = (p: PublishedDiagnostics): string[] => p.diagnostics.map((d) => String(d.code));

describe('LSP diagnostics over stdio', () => {
  let client: LspClient;

  before(async () => {
    client = await startLspClient();
  });
  after(async () => {
    await client?.stop();
  });

  it('declares incremental sync', () => {
    const sync = client.initializeResult.capabilities.textDocumentSync as { change: number; openClose: boolean };
    assert.equal(sync.change, 2); // TextDocumentSyncKind.Incremental
    assert.equal(sync.openClose, true);
  });

  it('publishes no diagnostics for a valid machine (JSON and YAML)', async () => {
    for (const [uri, name] of [
      ['file:///work/valid.asl.json', 'valid.asl.json'],
      ['file:///work/valid.asl.yaml', 'valid.asl.yaml'],
    ]) {
      const wait = client.waitForDiagnostics(uri);
      client.open(uri, fixture(name));
      const p = await wait;
      assert.equal(p.version, 1);
      assert.deepEqual(codes(p), []);
      client.close(uri);
    }
  });

  it('reports nothing for an empty machine file (a new file: the editor offers templates), an error once text is typed', async () => {
    for (const [uri, text] of [
      ['file:///work/new.asl.json', ''],
      ['file:///work/new.asl.yaml', '\n  \n'],
    ]) {
      const open = client.waitForDiagnostics(uri);
      client.open(uri, text);
      assert.deepEqual(codes(await open), []);
      const changed = client.waitForDiagnostics(uri, (p) => p.version === 2);
      client.changeFull(uri, 2, uri.endsWith('.json') ? '{' : 'StartAt');
      assert.ok(codes(await changed).length > 0, 'text that is not a machine is reported');
      client.close(uri);
    }
  });

  it('publishes a positioned diagnostic with code, href and fix data on open', async () => {
    const uri = 'file:///work/broken-ref.asl.json';
    const text = fixture('broken-ref.asl.json');
    const wait = client.waitForDiagnostics(uri);
    client.open(uri, text);
    const p = await wait;
    const d = p.diagnostics.find((x) => x.code === 'ASL107');
    assert.ok(d, `got ${codes(p)}`);
    const at = text.indexOf('"Notfy"');
    assert.deepEqual(d.range.start, positionAt(text, at));
    assert.deepEqual(d.range.end, positionAt(text, at + '"Notfy"'.length));
    assert.equal(d.severity, 1);
    assert.equal(d.codeDescription?.href, 'https://asl-workbench.dev/rules/ASL107');
    assert.deepEqual((d.data as { replaceWith?: string }).replaceWith, 'Notify');
    // the misspelt Next also leaves Notify unreachable
    assert.ok(codes(p).includes('ASL109'));
  });

  it('re-publishes after incremental changes, including a document broken mid-edit', async () => {
    const uri = 'file:///work/broken-ref.asl.json';
    let text = fixture('broken-ref.asl.json');
    // 1. fix the typo with a one-character insertion: "Notfy" -> "Notify"
    const at = text.indexOf('Notfy') + 3;
    let wait = client.waitForDiagnostics(uri, (p) => p.version === 2);
    client.changeIncremental(uri, 2, [
      { range: { start: positionAt(text, at), end: positionAt(text, at) }, text: 'i' },
    ]);
    text = text.slice(0, at) + 'i' + text.slice(at);
    assert.deepEqual(codes(await wait), []);

    // 2. mid-edit: the user is typing a new key, the JSON is broken
    const insertAt = text.indexOf('"TimeoutSeconds"');
    const partial = '"Retry": [{ "ErrorEq';
    wait = client.waitForDiagnostics(uri, (p) => p.version === 3);
    client.changeIncremental(uri, 3, [
      { range: { start: positionAt(text, insertAt), end: positionAt(text, insertAt) }, text: partial },
    ]);
    text = text.slice(0, insertAt) + partial + text.slice(insertAt);
    const broken = await wait;
    assert.ok(codes(broken).includes('ASL001'), `expected a syntax error, got ${codes(broken)}`);
    const syntax = broken.diagnostics.find((d) => d.code === 'ASL001')!;
    assert.ok(
      syntax.range.start.line >= positionAt(text, insertAt).line,
      'the syntax error is reported at or after the edit',
    );

    // 3. two edits in one notification finish the key; the document is valid again
    const end = insertAt + partial.length;
    const rest = 'uals": ["States.Timeout"], "MaxAttempts": 2 }],\n      ';
    wait = client.waitForDiagnostics(uri, (p) => p.version === 4);
    client.changeIncremental(uri, 4, [
      { range: { start: positionAt(text, end), end: positionAt(text, end) }, text: rest },
    ]);
    const fixed = await wait;
    assert.deepEqual(codes(fixed), []);
  });

  it('clears diagnostics on close', async () => {
    const uri = 'file:///work/broken-ref.asl.json';
    const wait = client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
    client.close(uri);
    const p = await wait;
    assert.deepEqual(p.diagnostics, []);
  });

  it('follows the machineType setting (workspace/configuration)', async () => {
    const uri = 'file:///work/callback.asl.json';
    let wait = client.waitForDiagnostics(uri);
    client.open(uri, fixture('callback.asl.json'));
    assert.deepEqual(codes(await wait), []);
    wait = client.waitForDiagnostics(uri, (p) => codes(p).includes('ASL403'));
    client.setSettings({ machineType: 'EXPRESS' });
    const express = await wait;
    assert.ok(codes(express).includes('ASL403'));
    wait = client.waitForDiagnostics(uri, (p) => !codes(p).includes('ASL403'));
    client.setSettings({ machineType: 'STANDARD' });
    await wait;
    client.close(uri);
  });

  it('survives garbage: unknown methods, bad params, binary text', async () => {
    await assert.rejects(client.request('aslWorkbench/noSuchRequest', {}));
    client.notify('textDocument/didChange', {
      textDocument: { uri: 'file:///never-opened.asl.json', version: 3 },
      contentChanges: [{ text: '{' }],
    });
    client.notify('textDocument/didOpen', { textDocument: null });
    const uri = 'file:///work/garbage.asl.json';
    const wait = client.waitForDiagnostics(uri);
    client.open(uri, '\u0000\u0001{"StartAt": [\uFFFF');
    const p = await wait;
    assert.ok(p.diagnostics.length > 0);
    assert.equal(client.exited, undefined, 'the server is still running');
    // and it still answers
    const wait2 = client.waitForDiagnostics('file:///work/valid2.asl.json');
    client.open('file:///work/valid2.asl.json', fixture('valid.asl.json'));
    assert.deepEqual(codes(await wait2), []);
  });
});
