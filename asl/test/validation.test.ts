/**
 * The one validation policy (asl/src/analyze.ts, asl/src/validation.ts): an invalid definition
 * is refused with, or run after, the same message. fixtures/validation/invalid.message.txt is
 * the text every entry point must give for invalid.asl.json (cli/, runner/ and client/ tests
 * read it too).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze, enforceValidation } from '../src/analyze';
import { InvalidDefinitionError, invalidDefinitionMessage, MAX_LISTED_ERRORS } from '../src/validation';

const dir = path.join(import.meta.dirname, 'fixtures', 'validation');
const invalid = fs.readFileSync(path.join(dir, 'invalid.asl.json'), 'utf8');
const expected = fs.readFileSync(path.join(dir, 'invalid.message.txt'), 'utf8').trimEnd();

describe('validation policy', () => {
  it('refuses an invalid definition with the list of its errors, codes and line:column', () => {
    assert.throws(
      () => enforceValidation(analyze(invalid, 'json'), 'refuse'),
      (e: unknown) =>
        e instanceof InvalidDefinitionError &&
        e.name === 'InvalidDefinition' &&
        e.message === expected &&
        e.errors.length === 2,
    );
  });

  it('returns the same message to report when the policy is to warn', () => {
    assert.equal(enforceValidation(analyze(invalid, 'json'), 'warn'), expected);
  });

  it('says nothing about a definition without errors, whatever its warnings', () => {
    const noDefault =
      '{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"D"}]},"D":{"Type":"Succeed"}}}';
    const a = analyze(noDefault, 'json');
    assert.deepEqual(
      a.diagnostics.map((d) => `${d.severity} ${d.code}`),
      ['warning ASL307'],
    );
    assert.equal(enforceValidation(a, 'refuse'), undefined);
  });

  it('checks under the machine type it is given', () => {
    const sync =
      '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask.sync","Parameters":{"TaskDefinition":"t","Cluster":"c"},"End":true}}}';
    assert.equal(enforceValidation(analyze(sync, 'json', { machineType: 'STANDARD' }), 'warn'), undefined);
    assert.match(
      enforceValidation(analyze(sync, 'json', { machineType: 'EXPRESS' }), 'warn') ?? '',
      /^The definition has 1 error:\n {2}\d+:\d+ /,
    );
  });

  it(`lists ${MAX_LISTED_ERRORS} errors and counts the rest`, () => {
    const errors = Array.from({ length: MAX_LISTED_ERRORS + 3 }, (_, i) => ({
      code: 'ASL102',
      message: `m${i}`,
      line: i,
      character: 0,
    }));
    const lines = invalidDefinitionMessage(errors).split('\n');
    assert.equal(lines[0], `The definition has ${MAX_LISTED_ERRORS + 3} errors:`);
    assert.equal(lines[1], '  1:1 ASL102 m0');
    assert.equal(lines.length, MAX_LISTED_ERRORS + 2);
    assert.equal(lines.at(-1), '  … and 3 more');
  });
});
