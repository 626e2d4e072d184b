/** The extension manifest's contributions (issue 4 item 2) and the .vsix allowlist. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
interface Setting {
  scope?: string;
  description?: string;
  markdownDescription?: string;
}
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string; description: string; restrictedConfigurations: string[] } };
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    snippets: { language: string; path: string }[];
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, Setting> };
  };
};

test('languages asl and asl-yaml use the AWS Toolkit ids and extensions', () => {
  const langs = Object.fromEntries(pkg.contributes.languages.map((l) => [l.id, l.extensions]));
  assert.deepEqual(langs, { asl: ['.asl.json', '.asl'], 'asl-yaml': ['.asl.yaml', '.asl.yml'] });
  for (const l of pkg.contributes.languages)
    assert.ok(fs.existsSync(path.join(root, l.configuration)), l.configuration);
});

test('grammars embed JSON / YAML and snippets exist for both languages', () => {
  const scopes = Object.fromEntries(pkg.contributes.grammars.map((g) => [g.language, g.scopeName]));
  assert.deepEqual(scopes, { asl: 'source.asl', 'asl-yaml': 'source.asl.yaml' });
  for (const g of pkg.contributes.grammars) {
    const grammar = JSON.parse(fs.readFileSync(path.join(root, g.path), 'utf8')) as {
      scopeName: string;
      patterns: { include: string }[];
    };
    assert.equal(grammar.scopeName, g.scopeName);
    assert.deepEqual(grammar.patterns, [{ include: g.language === 'asl' ? 'source.json' : 'source.yaml' }]);
  }
  assert.deepEqual(pkg.contributes.snippets.map((s) => s.language).sort(), ['asl', 'asl-yaml']);
  for (const s of pkg.contributes.snippets) assert.ok(fs.existsSync(path.join(root, s.path)), s.path);
});

test('commands share one category and activation is on the languages and commands only', () => {
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'ASL Workbench', c.command);
  for (const e of pkg.activationEvents) {
    assert.match(e, /^(onLanguage:(asl|asl-yaml)|onCommand:aslWorkbench\.\w+|onWebviewPanel:aslWorkbench\.graph)$/);
    if (e.startsWith('onCommand:'))
      assert.ok(
        pkg.contributes.commands.some((c) => `onCommand:${c.command}` === e),
        e,
      );
  }
  assert.ok(pkg.activationEvents.includes('onLanguage:asl') && pkg.activationEvents.includes('onLanguage:asl-yaml'));
});

test('every setting is described and scoped; executables, sockets and kubeconfig are machine-scoped and restricted', () => {
  const props = pkg.contributes.configuration.properties;
  for (const [k, v] of Object.entries(props)) {
    assert.ok(v.description || v.markdownDescription, `${k} has a description`);
    assert.ok(v.scope, `${k} has a scope`);
  }
  for (const k of [
    'aslWorkbench.containerEngine.host',
    'aslWorkbench.kubernetes.kubeconfig',
    'aslWorkbench.kind.path',
  ]) {
    assert.equal(props[k]?.scope, 'machine', k);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(k), `${k} restricted`);
  }
  for (const k of [
    'machineType',
    'iam.region',
    'iam.account',
    'containerEngine.kind',
    'kubernetes.context',
    'kind.clusterName',
    'trace.server',
  ]) {
    assert.ok(props[`aslWorkbench.${k}`], `aslWorkbench.${k}`);
  }
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('.vscodeignore is an allowlist that ships no sources or source maps', () => {
  const lines = fs
    .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  const allowed = lines.filter((l) => l.startsWith('!'));
  assert.equal(
    allowed.length,
    lines.length - 1,
    'after ** only !allow lines (vsce lets a negation win over any exclusion)',
  );
  for (const l of allowed.filter((x) => x !== '!schemas/**')) assert.doesNotMatch(l, /\.map$|\*\*$|src|\.ts$/, l);
});
