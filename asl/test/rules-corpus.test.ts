/**
 * The corpus of published, deployable state machines (fixtures/corpus; rules-valid.test.ts
 * asserts that none of them gets an error). Here: every machine names its source in
 * index.json, and the forms Step Functions accepts although they look wrong are reported at
 * the severity that says so — custom `States.` error names as warnings, unquoted filter words
 * as hints, `${Name}` substitution placeholders as information.
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
const CORPUS = path.join(here, 'fixtures/corpus');

interface Entry {
  file: string;
  source: string;
  url: string;
  notes: string;
}

const index = JSON.parse(fs.readFileSync(path.join(CORPUS, 'index.json'), 'utf8')) as { machines: Entry[] };
const files = fs
  .readdirSync(CORPUS)
  .filter((f) => /\.asl\.(json|ya?ml)$/.test(f))
  .sort();

function diagnostics(file: string): { code: string; severity: string; message: string }[] {
  const { model } = analyze(fs.readFileSync(path.join(CORPUS, file), 'utf8'), formatOf(file));
  return validateModel(model, { machineType: /express/i.test(file) ? 'EXPRESS' : 'STANDARD' });
}

const of = (file: string, code: string) => diagnostics(file).filter((d) => d.code === code);

describe('published machine corpus', () => {
  it('holds at least 40 machines, JSON and YAML', () => {
    assert.ok(files.length >= 40, `${files.length} machines`);
    assert.ok(files.some((f) => f.endsWith('.yaml')));
  });

  it('names the source of every machine, and every listed machine exists', () => {
    assert.deepEqual(index.machines.map((e) => e.file).sort(), files);
    for (const e of index.machines) {
      assert.ok(e.source.length > 10, `${e.file}: no source`);
      assert.match(e.url, /^https:\/\/(docs\.aws\.amazon\.com|github\.com\/aws-samples)\//, `${e.file}: ${e.url}`);
    }
  });

  it("warns (not errs) on custom 'States.' error names, with did-you-mean for a misspelt one", () => {
    const quorum = of('quorum-with-parallel.asl.json', 'ASL314');
    assert.ok(quorum.length >= 4);
    assert.ok(quorum.every((d) => d.severity === 'warning'));
    assert.match(
      quorum[0]!.message,
      /'States\.QuorumMet' is not a predefined error name\. Step Functions accepts it as a custom error/,
    );
    const typo = of('chain-of-responsibility-terraform.asl.json', 'ASL314');
    assert.equal(typo.length, 4);
    assert.ok(typo.every((d) => d.severity === 'warning' && /Did you mean 'States\.TaskFailed'\?$/.test(d.message)));
  });

  it('reads unquoted words in JSONPath filters as strings and only hints at quoting them', () => {
    const hints = of('parallel-translate.asl.yaml', 'ASL212');
    assert.deepEqual(
      hints.map((d) => [d.severity, d.message.split(' in this filter')[0]]),
      [
        ['hint', "'es'"],
        ['hint', "'fr'"],
        ['hint', "'ja'"],
      ],
    );
    assert.ok(of('rekognition-labels-filter.asl.json', 'ASL212').length >= 3);
  });

  it('reports substitution placeholders in typed positions as information naming the substitution', () => {
    const reminder = of('human-task-reminder.asl.yaml', 'ASL114');
    assert.equal(reminder.length, 1);
    assert.equal(reminder[0]!.severity, 'info');
    assert.match(
      reminder[0]!.message,
      /^'\$\{ReminderTimeout\}' is a placeholder for the substitution 'ReminderTimeout'.*'Seconds' must be a non-negative integer/,
    );
    const sam = of('sam-substitutions-ecs-lambda.asl.json', 'ASL114').map(
      (d) => d.message.split(' is a placeholder')[0],
    );
    assert.deepEqual(sam, [
      "'${PrepareFunctionArn}'",
      "'${PrepareTimeout}'",
      "'${PrepareRetries}'",
      "'${RenderConcurrency}'",
      "'${AssignPublicIp}'",
      "'${PublishDelaySeconds}'",
    ]);
  });
});
