/**
 * `asl-workbench validate` end to end: runs the built dist/cli.js as a user would and checks
 * exit codes, the three output formats, glob expansion and file kinds.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, ensureFreshBuild } from '../../scripts/test-helpers/lsp-client.mjs';

const CLI = path.join(REPO_ROOT, 'dist/cli.js');
const LSP = 'server/test/fixtures/lsp';

function run(args: string[], cwd = REPO_ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'validate', ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('asl-workbench validate', () => {
  before(() => ensureFreshBuild());

  it('exits 0 with no output lines for clean machines (JSON and YAML)', () => {
    const r = run([`${LSP}/valid.asl.json`, `${LSP}/valid.asl.yaml`]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '');
  });

  it('prints file:line:col severity CODE message (1-based) and exits 1 on errors', () => {
    const file = `${LSP}/broken-ref.asl.json`;
    const r = run([file]);
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    for (const l of lines) assert.match(l, /^[^:]+:\d+:\d+ (error|warning|info|hint) [A-Z]{3}\d{3} .+/);
    // "Next": "Notfy" is on line 13, the value starts at column 15
    assert.ok(
      lines.includes(
        `${file}:13:15 error ASL107 The value of 'Next' must be the name of an existing state: 'Notfy' does not exist. Did you mean 'Notify'?`,
      ),
      lines.join('\n'),
    );
  });

  it('--format json is an array of {file, range, severity, code, message}', () => {
    const r = run([`${LSP}/broken-ref.asl.json`, '--format', 'json']);
    assert.equal(r.status, 1);
    const list = JSON.parse(r.stdout) as {
      file: string;
      range: { start: { line: number; character: number } };
      severity: string;
      code: string;
      message: string;
    }[];
    const d = list.find((x) => x.code === 'ASL107')!;
    assert.deepEqual(Object.keys(d), ['file', 'range', 'severity', 'code', 'message']);
    assert.deepEqual(d.range.start, { line: 12, character: 14 }); // LSP positions are 0-based
  });

  it('--format sarif produces a SARIF 2.1.0 log GitHub code scanning accepts', () => {
    const r = run([`${LSP}/broken-ref.asl.json`, '--format=sarif']);
    assert.equal(r.status, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'asl-workbench');
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    for (const rule of run0.tool.driver.rules) {
      assert.equal(rule.helpUri, `https://asl-workbench.dev/rules/${rule.id}`);
      assert.ok(rule.shortDescription.text);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run0.results.length > 0);
    for (const res of run0.results) {
      assert.ok(ids.includes(res.ruleId));
      assert.equal(ids[res.ruleIndex], res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.ok(res.message.text);
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uri, 'server/test/fixtures/lsp/broken-ref.asl.json');
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
      assert.ok(loc.region.endLine > loc.region.startLine || loc.region.endColumn > loc.region.startColumn);
    }
    const asl107 = run0.results.find((x: { ruleId: string }) => x.ruleId === 'ASL107');
    assert.deepEqual(asl107.locations[0].physicalLocation.region, {
      startLine: 13,
      startColumn: 15,
      endLine: 13,
      endColumn: 22,
    });
  });

  it('expands globs itself (no shell) and accepts .asl.yml and plain .json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-cli-'));
    try {
      fs.mkdirSync(path.join(dir, 'nested/deeper'), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, LSP, 'valid.asl.yaml'), path.join(dir, 'nested/one.asl.yml'));
      fs.copyFileSync(path.join(REPO_ROOT, LSP, 'valid.asl.json'), path.join(dir, 'nested/deeper/plain.json'));
      fs.copyFileSync(path.join(REPO_ROOT, LSP, 'broken-ref.asl.json'), path.join(dir, 'broken.asl.json'));
      let r = run(['**/*.{json,yml}', '--format', 'json'], dir);
      assert.equal(r.status, 1);
      const files = [...new Set((JSON.parse(r.stdout) as { file: string }[]).map((x) => x.file))];
      assert.deepEqual(files, ['broken.asl.json']);
      assert.match(r.stderr, /3 files checked/);
      r = run(['nested'], dir); // a directory: its .asl.* files
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /1 file checked/);
      r = run(['nested/deeper/plain.json'], dir);
      assert.equal(r.status, 0, r.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--machine-type EXPRESS reports .sync/.waitForTaskToken', () => {
    const file = `${LSP}/callback.asl.json`;
    assert.equal(run([file]).status, 0);
    const r = run([file, '--machine-type', 'EXPRESS']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, / error ASL403 /);
  });

  it('checks ${Name} placeholders with the substitutions of the run config (next to the machine, or --config)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-cli-subs-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{}');
      const machine = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: '${Delay}', End: true } } };
      fs.writeFileSync(path.join(dir, 'm.asl.json'), JSON.stringify(machine, null, 2));
      let r = run(['m.asl.json'], dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        /^m\.asl\.json:6:18 info ASL114 '\$\{Delay\}' is a placeholder for the substitution 'Delay'/,
      );
      fs.writeFileSync(path.join(dir, 'asl-workbench.run.json'), JSON.stringify({ substitutions: { Delay: 'later' } }));
      r = run(['m.asl.json'], dir);
      assert.equal(r.status, 1);
      assert.equal(
        r.stdout.trim(),
        `m.asl.json:6:18 error ASL104 'Seconds' must be a non-negative integer (with Delay = "later" from asl-workbench.run.json).`,
      );
      fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ substitutions: { Delay: 30 } }));
      r = run(['m.asl.json', '--config', 'other.json'], dir);
      assert.equal(r.status, 0, r.stdout);
      assert.equal(r.stdout.trim(), '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on usage and I/O errors', () => {
    assert.equal(run([]).status, 2);
    assert.equal(run([`${LSP}/valid.asl.json`, '--format', 'xml']).status, 2);
    assert.equal(run([`${LSP}/valid.asl.json`, '--machine-type', 'FAST']).status, 2);
    const missing = run(['no/such/file.asl.json']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file/);
    assert.equal(run(['nothing-matches-*.asl.json']).status, 2);
    assert.equal(run(['--help']).status, 0);
  });
});
