/**
 * The valid corpus (asl/test/fixtures/valid/**), the corpus of published, deployable
 * machines (asl/test/fixtures/corpus/**, sources in its index.json) and the shipped
 * examples (examples/**) must produce zero error diagnostics, for both machine types where
 * the file says so.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatOf } from '../src/parse/format';
import { analyze } from '../src/analyze';
import { validateModel } from '../src/rules';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '../..');

function machines(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') machines(p, out);
    else if (/\.asl\.(json|ya?ml)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

function errorsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const { doc, model } = analyze(text, formatOf(file));
  // a corpus file may declare itself EXPRESS with "express" in its name
  const machineType = /express/i.test(path.basename(file)) ? 'EXPRESS' : 'STANDARD';
  return validateModel(model, { machineType })
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const p = doc.positionAt(d.offset);
      return `${path.relative(REPO, file)}:${p.line + 1}:${p.character + 1} ${d.code} ${d.message}`;
    });
}

for (const [label, dir] of [
  ['valid corpus', path.join(here, 'fixtures/valid')],
  ['published corpus', path.join(here, 'fixtures/corpus')],
  ['examples', path.join(REPO, 'examples')],
] as const) {
  const files = machines(dir);
  describe(`${label} validates without errors`, () => {
    it(`finds machines in ${path.relative(REPO, dir)}`, () => {
      assert.ok(files.length > 0, `no state machines found in ${dir}`);
    });
    for (const f of files) {
      it(path.relative(dir, f), () => {
        assert.deepEqual(errorsOf(f), []);
      });
    }
  });
}
