/** The extension manifest's contributions and the .vsix allowlist. */
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
    snippets?: { language: string; path: string }[];
    configurationDefaults: Record<string, Record<string, unknown>>;
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, Setting> };
    jsonValidation: { fileMatch: string | string[]; url: string }[];
  };
};

test('languages asl and asl-yaml use the AWS Toolkit ids and extensions', () => {
  const langs = Object.fromEntries(pkg.contributes.languages.map((l) => [l.id, l.extensions]));
  assert.deepEqual(langs, { asl: ['.asl.json', '.asl'], 'asl-yaml': ['.asl.yaml', '.asl.yml'] });
  for (const l of pkg.contributes.languages)
    assert.ok(fs.existsSync(path.join(root, l.configuration)), l.configuration);
});

test('grammars embed JSON / YAML; the snippets of both languages come from the language server only', () => {
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
  // contributed snippets would be listed a second time, and at every position (inside values too)
  assert.equal(pkg.contributes.snippets, undefined);
  for (const f of ['snippets/asl.code-snippets', 'snippets/asl-yaml.code-snippets'])
    assert.ok(fs.existsSync(path.join(root, f)), f);
});

test('suggestions open by themselves in both languages, and YAML is indented as the server indents it', () => {
  for (const lang of ['[asl]', '[asl-yaml]']) {
    const d = pkg.contributes.configurationDefaults[lang];
    // keys and values are strings (JSON keys, YAML plain scalars): quick suggestions must include strings
    assert.deepEqual(d['editor.quickSuggestions'], { other: 'on', comments: 'off', strings: 'on' }, lang);
    // a list with nothing that fits stays closed rather than showing words of the document
    assert.equal(d['editor.wordBasedSuggestions'], 'off', lang);
  }
  const yaml = pkg.contributes.configurationDefaults['[asl-yaml]'];
  // a new file gets two spaces, the server's default; an indented file is detected by both
  assert.equal(yaml['editor.tabSize'], 2);
  assert.equal(yaml['editor.insertSpaces'], true);
  assert.equal(yaml['editor.detectIndentation'], undefined);
});

test('Enter in a YAML list item keeps the indentation of its content, not of its dash', () => {
  const config = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration-yaml.json'), 'utf8')) as {
    onEnterRules: { beforeText: string; action: { indent: string; appendText?: string } }[];
  };
  const onEnter = (line: string) => config.onEnterRules.find((r) => new RegExp(r.beforeText).test(line))?.action;
  assert.deepEqual(onEnter('      - Name: report'), { indent: 'none', appendText: '  ' });
  assert.deepEqual(onEnter('      - Environment:'), { indent: 'indent', appendText: '  ' });
  assert.deepEqual(onEnter('    Parameters:'), { indent: 'indent' });
  assert.equal(onEnter('      - subnet-0123456789abcdef0'), undefined);
  assert.equal(onEnter('    Resource: arn:aws:states:::ecs:runTask.sync'), undefined);
});

test('commands share one category and activation is on the languages, templates, test files, commands, graph panel and asl debug type only', () => {
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'ASL Workbench', c.command);
  for (const e of pkg.activationEvents) {
    assert.match(
      e,
      /^(onLanguage:(asl|asl-yaml|yaml|terraform)|workspaceContains:\*\*\/(\*\.tf|\*\.template\.json|template\.json|\*\.asl-test\.\{yaml,yml,json\})|onCommand:aslWorkbench\.\w+|onWebviewPanel:aslWorkbench\.graph|onDebug(Resolve|DynamicConfigurations):asl)$/,
    );
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

test('the run config and the mock config get their schemas by file name; no example points at a schema by path', () => {
  const schemaOf = (file: string) =>
    pkg.contributes.jsonValidation.find((v) => [v.fileMatch].flat().some((m) => path.matchesGlob(file, m)))?.url;
  assert.equal(schemaOf('asl-workbench.run.json'), './schemas/local-run-config.schema.json');
  assert.equal(schemaOf('mock-config.json'), './schemas/sfn-mock-config.schema.json');
  assert.equal(schemaOf('MockConfigFile.json'), './schemas/sfn-mock-config.schema.json');
  for (const v of pkg.contributes.jsonValidation) assert.ok(fs.existsSync(path.join(root, v.url)), v.url);
  // a relative $schema breaks as soon as an example is copied elsewhere ("Unable to load schema")
  const examples = path.join(root, 'examples');
  for (const dir of fs.readdirSync(examples)) {
    for (const f of fs.readdirSync(path.join(examples, dir)).filter((n) => n.endsWith('.json'))) {
      const text = fs.readFileSync(path.join(examples, dir, f), 'utf8');
      assert.doesNotMatch(text, /"\$schema"\s*:\s*"\.{1,2}\//, `${dir}/${f}`);
    }
  }
});

test('the asl debugger runs the shipped adapter bundle; breakpoints work in both languages and in templates; Debug Locally sits next to Run Locally, gated like it', () => {
  const c = pkg.contributes as unknown as {
    debuggers: {
      type: string;
      program: string;
      runtime: string;
      languages: string[];
      configurationAttributes: { launch: { properties: Record<string, Setting> } };
      initialConfigurations: { type: string; program: string }[];
    }[];
    breakpoints: { language: string; when?: string }[];
    commands: { command: string; enablement?: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
  };
  const [dbg, ...others] = c.debuggers;
  assert.equal(others.length, 0);
  assert.equal(dbg?.type, 'asl');
  assert.equal(dbg.runtime, 'node');
  assert.equal(dbg.program, './dist/debugAdapter.js');
  const build = fs.readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
  assert.match(build, /'dist\/debugAdapter\.js'/, 'scripts/build.mjs bundles the adapter');
  assert.ok(
    fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').includes('!dist/debugAdapter.js'),
    'the .vsix ships the adapter',
  );
  const languages = pkg.contributes.languages.map((l) => l.id);
  assert.deepEqual(dbg.languages, languages);
  assert.deepEqual(
    c.breakpoints.filter((b) => !b.when).map((b) => b.language),
    languages,
  );
  // the languages templates are written in take breakpoints only in a file holding a machine
  assert.deepEqual(
    c.breakpoints.filter((b) => b.when).map((b) => [b.language, b.when]),
    ['yaml', 'json', 'terraform'].map((l) => [l, 'aslWorkbench.editorHoldsMachines']),
  );
  const launch = dbg.configurationAttributes.launch.properties;
  for (const k of ['program', 'machine', 'input', 'testCase', 'mockConfig', 'runConfig', 'timeScale', 'stopOnEntry'])
    assert.ok(launch[k]?.markdownDescription, `launch attribute ${k} is described`);
  assert.deepEqual(
    dbg.initialConfigurations.map((x) => [x.type, x.program]),
    [['asl', '${file}']],
  );
  const command = (id: string) => c.commands.find((x) => x.command === id);
  assert.equal(command('aslWorkbench.debugLocally')?.enablement, command('aslWorkbench.runLocally')?.enablement);
  for (const menu of ['commandPalette', 'editor/title']) {
    // on machine files and on templates alike
    const whens = (id: string) => c.menus[menu]!.filter((m) => m.command === id).map((m) => m.when);
    assert.deepEqual(whens('aslWorkbench.debugLocally'), whens('aslWorkbench.runLocally'), menu);
  }
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /Debug Locally/);
});
