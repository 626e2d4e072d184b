/**
 * Golden tests of every diagnostic rule. Layout:
 *   fixtures/rules/<CODE>/<case>.asl.json   -> <case>.expected.json
 *   fixtures/rules/<CODE>/<case>.asl.yaml   -> <case>.yaml.expected.json
 *   fixtures/rules/<CODE>/<case>.options.json (optional, e.g. {"machineType":"EXPRESS"})
 * Expected files list EVERY diagnostic of the fixture as
 * {code, line, character, endLine, endCharacter, severity} with LSP (0-based) positions.
 * Regenerate after a deliberate change with UPDATE_FIXTURES=1 and review the diff.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatOf } from '../src/parse/format';
import { analyze } from '../src/analyze';
import { ruleCatalog, validateModel } from '../src/rules';
import type { ValidateOptions } from '../src/rules/types';

const here = path.dirname(fileURLToPath(import.meta.url));
const RULES_DIR = path.join(here, 'fixtures/rules');
const UPDATE = process.env.UPDATE_FIXTURES === '1';

/** Codes tested elsewhere (generated inputs, see rules-limits.test.ts) or not reachable by input. */
const NO_FIXTURE = new Set(['ASL000', 'ASL601', 'ASL602']);

interface Expected {
  code: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  severity: string;
}

function expectedPath(file: string): string {
  return file.endsWith('.asl.yaml')
    ? file.replace(/\.asl\.yaml$/, '.yaml.expected.json')
    : file.replace(/\.asl\.json$/, '.expected.json');
}

function actual(file: string): Expected[] {
  const text = fs.readFileSync(file, 'utf8');
  const optFile = file.replace(/\.asl\.(json|yaml)$/, '.options.json');
  const options: ValidateOptions = fs.existsSync(optFile)
    ? JSON.parse(fs.readFileSync(optFile, 'utf8'))
    : { machineType: 'STANDARD' };
  const { doc, model } = analyze(text, formatOf(file));
  return validateModel(model, options).map((d) => {
    const r = doc.rangeOf(d.offset, d.length);
    return {
      code: d.code,
      line: r.start.line,
      character: r.start.character,
      endLine: r.end.line,
      endCharacter: r.end.character,
      severity: d.severity,
    };
  });
}

const codes = fs.existsSync(RULES_DIR)
  ? fs
      .readdirSync(RULES_DIR)
      .filter((c) => fs.statSync(path.join(RULES_DIR, c)).isDirectory())
      .sort()
  : [];

describe('rule fixtures', () => {
  for (const code of codes) {
    const dir = path.join(RULES_DIR, code);
    const files = fs
      .readdirSync(dir)
      .filter((f) => /\.asl\.(json|yaml)$/.test(f))
      .sort();
    describe(code, () => {
      for (const f of files) {
        const file = path.join(dir, f);
        it(`${f} reports exactly the expected diagnostics`, () => {
          const got = actual(file);
          const exp = expectedPath(file);
          if (UPDATE) fs.writeFileSync(exp, JSON.stringify(got, null, 2) + '\n');
          assert.ok(fs.existsSync(exp), `missing ${path.relative(here, exp)} (run with UPDATE_FIXTURES=1 and review)`);
          const want = JSON.parse(fs.readFileSync(exp, 'utf8')) as Expected[];
          assert.deepEqual(got, want);
          assert.ok(
            got.some((d) => d.code === code),
            `${f} must produce at least one ${code}`,
          );
        });
      }
    });
  }
});

describe('rule coverage', () => {
  it('every rule code has a fixture folder', () => {
    const missing = [...ruleCatalog().keys()].filter((c) => !NO_FIXTURE.has(c) && !codes.includes(c));
    assert.deepEqual(missing, []);
  });

  it('every rule code has a documentation page', () => {
    const docs = path.resolve(here, '../../docs/rules');
    const missing = [...ruleCatalog().keys()].filter(
      (c) => c !== 'ASL000' && !fs.existsSync(path.join(docs, `${c}.md`)),
    );
    assert.deepEqual(missing, []);
  });
});
