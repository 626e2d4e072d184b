/**
 * The aslWorkbench/stateGraph request over the real LSP connection (dist/server.js): the
 * graph of an open document for the version the server holds, with diagnostics severities,
 * after edits, for YAML, for broken text, and null for a document that is not open.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { StateGraphRequest, type StateGraphResult } from '../src/protocol';
import { REPO_ROOT, startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';

const fixture = (name: string): string => path.join(REPO_ROOT, 'asl/test/fixtures/graph', name);
const method = StateGraphRequest.method;

describe('aslWorkbench/stateGraph (LSP)', () => {
  let client: LspClient;
  before(async () => {
    client = await startLspClient();
  });
  after(async () => {
    await client.stop();
  });

  it('answers the graph of an open document with its version', async () => {
    const uri = pathToFileURL(fixture('all-types.asl.json')).href;
    client.open(uri, fs.readFileSync(fixture('all-types.asl.json'), 'utf8'), 'asl', 3);
    const r = await client.request<StateGraphResult | null>(method, { uri });
    assert.ok(r);
    assert.equal(r.version, 3);
    assert.equal(r.graph.problem, undefined);
    assert.equal(r.graph.nodes.filter((n) => n.kind === 'state').length, 11);
    assert.ok(r.graph.edges.some((e) => e.kind === 'catch' && e.source === 'Run task'));
  });

  it('follows edits and marks states that have diagnostics', async () => {
    const uri = 'file:///virtual/edited.asl.json';
    client.open(uri, '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}', 'asl', 1);
    client.changeFull(uri, 2, '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}');
    const r = await client.request<StateGraphResult | null>(method, { uri });
    assert.ok(r);
    assert.equal(r.version, 2);
    const a = r.graph.nodes.find((n) => n.id === 'A');
    assert.equal(a?.severity, 'error', 'Next to a missing state is an error inside A');
  });

  it('serves YAML documents and reports unparseable text as a problem', async () => {
    const yamlUri = pathToFileURL(fixture('nested-parallel-in-map.asl.yaml')).href;
    client.open(yamlUri, fs.readFileSync(fixture('nested-parallel-in-map.asl.yaml'), 'utf8'), 'asl-yaml', 1);
    const y = await client.request<StateGraphResult | null>(method, { uri: yamlUri });
    assert.ok(y?.graph.nodes.some((n) => n.id === 'Each item/ItemProcessor/Split/Branches[0]/A2'));
    const brokenUri = pathToFileURL(fixture('broken.asl.json')).href;
    client.open(brokenUri, fs.readFileSync(fixture('broken.asl.json'), 'utf8'), 'asl', 1);
    const b = await client.request<StateGraphResult | null>(method, { uri: brokenUri });
    assert.match(b?.graph.problem ?? '', /Syntax error/);
  });

  it('answers null for a document that is not open', async () => {
    assert.equal(await client.request(method, { uri: 'file:///not/open.asl.json' }), null);
  });
});
