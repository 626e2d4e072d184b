/**
 * Test files of state machines (asl/src/testing/): parsing and its messages, the diffs of
 * expected and actual values, coverage of states and transitions, and the import of a Step
 * Functions Local mock config. The example test files must satisfy both the parser and the
 * JSON Schema editors use.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { analyze } from '../src/analyze';
import { getSchema } from '../src/schemas/index';
import { checkPath, checkValue, diffValues, formatMismatches } from '../src/testing/compare';
import { coverageOf, coverageTable, lcovRecord, transitionKey } from '../src/testing/coverage';
import { testFileFromMockConfig } from '../src/testing/fromMockConfig';
import { EVERY_INVOCATION, parseTestFile, TEST_FILE } from '../src/testing/testFile';

const root = path.resolve(import.meta.dirname, '../..');

function problemsOf(text: string): string[] {
  const r = parseTestFile(text, 'yaml');
  assert.equal(r.ok, false);
  return r.ok ? [] : r.problems.map((p) => `${text.slice(0, p.offset).split('\n').length}: ${p.message}`);
}

describe('test files', () => {
  it('reads machine, cases, mocks by invocation, real states and expectations', () => {
    const r = parseTestFile(
      `machine: { path: template.yaml, logicalId: Flow }
cases:
  - name: one
    input: { a: 1 }
    mocks:
      Run: { Return: { ok: true } }
      Flaky: { "0": { Throw: { Error: ECS.AmazonECSException } }, "1-3": { Return: 1 } }
      Live: real
    expect:
      status: FAILED
      error: E
      outputMatches: { b: 2 }
      path: [Run, Flaky]
      states:
        Run: { visit: 1, parametersPaths: { $.Cluster: prod } }
`,
      'yaml',
    );
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.file.machine, { path: 'template.yaml', logicalId: 'Flow' });
    const c = r.file.cases[0]!;
    assert.equal(c.line, 2);
    assert.deepEqual(c.mocks, {
      Run: { [EVERY_INVOCATION]: { Return: { ok: true } } },
      Flaky: { 0: { Throw: { Error: 'ECS.AmazonECSException', Cause: undefined } }, '1-3': { Return: 1 } },
      Live: 'real',
    });
    assert.deepEqual(c.expect, {
      status: 'FAILED',
      error: 'E',
      output: { matches: { value: { b: 2 } } },
      path: ['Run', 'Flaky'],
      states: { Run: { visit: 1, parameters: { paths: { '$.Cluster': 'prod' } } } },
    });
  });

  it('expects SUCCEEDED and {} input when a case says nothing else', () => {
    const r = parseTestFile('{"machine": "m.asl.json", "cases": [{"name": "n"}]}', 'json');
    assert.ok(r.ok);
    assert.deepEqual(r.file.cases[0], {
      name: 'n',
      line: 0,
      input: {},
      mocks: {},
      expect: { status: 'SUCCEEDED', states: {} },
    });
  });

  it('names each problem at its line', () => {
    assert.deepEqual(
      problemsOf(`machine: 3
cases:
  - name: a
    mocks: { S: { Return: 1, Throw: {} }, T: { first: { Return: 1 } }, U: fake }
    expect: { status: OK, outputPaths: { a: 1 }, states: { S: { visit: -1 } } }
  - name: a
  - name: b
    extra: 1
`),
      [
        `1: "machine" must be the path of the state machine file (relative to the test file), or {path, logicalId}.`,
        `4: the mock of "S" needs exactly one of Return and Throw.`,
        `4: "first" in the mock of "T": use Return, Throw or invocation keys such as "0" or "1-3".`,
        `4: The mock of "U" must be {Return: …}, {Throw: {Error, Cause}}, answers by invocation ({"0": …, "1-2": …}) or "real".`,
        `5: "status" must be one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED.`,
        `5: "a" is not a JSONPath: A path must start with '$' (found 'a').`,
        `5: "visit" must be an integer >= 0 (0 = the first time the state runs).`,
        `6: Two cases are named "a"; names must be unique in a file.`,
        `8: Unknown key "extra" in a test case; expected one of: name, input, mocks, expect.`,
      ],
    );
    assert.deepEqual(problemsOf('machine: m.asl.json\ncases: []\n'), [
      '2: "cases" must be a non-empty list of test cases.',
    ]);
    // a syntax error is reported as the parser words it, and nothing else is checked
    assert.equal(problemsOf('cases: [1').length, 1);
  });

  it('matches test file names', () => {
    assert.ok(TEST_FILE.test('a/flow.asl-test.yaml') && TEST_FILE.test('flow.asl-test.json'));
    assert.ok(!TEST_FILE.test('flow.asl.yaml'));
  });
});

describe('expected and actual values', () => {
  it('lists every difference at its pointer: exact or as a subset', () => {
    const actual = { a: 1, b: { c: [1, 2], d: 'x' }, extra: true };
    assert.deepEqual(diffValues({ a: 1, b: { c: [1, 3], d: 'x' } }, actual, false, 'output'), [
      { subject: 'output', at: '/b/c/1', expected: 3, actual: 2 },
      { subject: 'output', at: '/extra', actual: true, note: 'unexpected' },
    ]);
    assert.deepEqual(diffValues({ b: { c: [1, 2] }, 'x/y': 1 }, actual, true, 'output'), [
      { subject: 'output', at: '/x~1y', expected: 1, note: 'missing' },
    ]);
    assert.deepEqual(diffValues({ b: { c: [1] } }, actual, true, 'o')[0]?.note, '1 items expected, 2 found');
  });

  it('checks JSONPaths, and says when a path selects nothing', () => {
    const m = checkValue(
      { paths: { '$.items[*].id': [1, 2], '$.missing': 1 } },
      { items: [{ id: 1 }, { id: 3 }] },
      'output',
    );
    assert.deepEqual(formatMismatches(m, ''), [
      'output at $.items[*].id/1',
      '  - expected 2',
      '  + actual   3',
      'output at $.missing: the path selects nothing',
      '  - expected 1',
    ]);
  });

  it('says where two paths part', () => {
    assert.deepEqual(checkPath(['A', 'B'], ['A', 'B']), []);
    assert.equal(checkPath(['A', 'B', 'C'], ['A', 'X'])[0]?.note, 'differs from step 2: expected "B", ran "X"');
  });
});

describe('coverage', () => {
  const machine = analyze(
    JSON.stringify(
      {
        StartAt: 'Work',
        States: {
          Work: {
            Type: 'Task',
            Resource: 'arn:aws:states:::ecs:runTask.sync',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Oops' }],
            Next: 'Pick',
          },
          Pick: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'Each' }], Default: 'Done' },
          Each: {
            Type: 'Map',
            ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
            Next: 'Done',
          },
          Oops: { Type: 'Fail' },
          Done: { Type: 'Succeed' },
        },
      },
      null,
      2,
    ),
    'json',
  );

  it('counts states inside Map processors, Choice rules, Default and Catch edges apart', () => {
    const report = coverageOf(
      machine.model,
      {
        states: { Work: 2, Pick: 1, Oops: 1, Done: 1 },
        transitions: {
          [transitionKey('Work', 'next', 'Pick')]: 1,
          [transitionKey('Work', 'catch', 'Oops')]: 1,
          [transitionKey('Pick', 'choice', 'Done')]: 1,
        },
      },
      machine.doc.positionAt,
    );
    assert.deepEqual(
      report.states.map((s) => `${s.name}:${s.hits}`),
      ['Work:2', 'Pick:1', 'Each:0', 'Item:0', 'Oops:1', 'Done:1'],
    );
    assert.deepEqual(
      report.transitions.map((t) => `${t.from} --${t.via}--> ${t.to}: ${t.hits}`),
      [
        'Work --Next--> Pick: 1',
        'Work --Catch[0]--> Oops: 1',
        'Pick --Choices[0]--> Each: 0',
        'Pick --Default--> Done: 1',
        'Each --Next--> Done: 0',
      ],
    );
    assert.deepEqual(report.totals, { states: 6, statesCovered: 4, transitions: 5, transitionsCovered: 3 });
    assert.deepEqual(coverageTable([{ label: 'm.asl.json', report }]), [
      'machine     states      %  transitions      %',
      '----------  ------  -----  -----------  -----',
      'm.asl.json     4/6  66.7%          3/5  60.0%',
    ]);
    const lcov = lcovRecord('/w/m.asl.json', report);
    assert.match(lcov, /^TN:\nSF:\/w\/m\.asl\.json\n/);
    assert.match(lcov, /\nBRDA:\d+,2,0,-\n/);
    assert.match(lcov, /\nBRF:5\nBRH:3\n/);
    assert.match(lcov, /\nLF:6\nLH:4\nend_of_record\n$/);
  });
});

describe('mock config import', () => {
  it('turns each test case into a case with its mocked answers', () => {
    const r = testFileFromMockConfig(
      {
        StateMachines: { Flow: { TestCases: { Happy: { Run: 'Ok' } } } },
        MockedResponses: { Ok: { '0': { Return: { done: true } } } },
      },
      'flow.asl.json',
    );
    assert.deepEqual(r, {
      ok: true,
      value: {
        machine: 'flow.asl.json',
        stateMachineName: 'Flow',
        cases: [
          {
            name: 'Happy',
            input: {},
            mocks: { Run: { '0': { Return: { done: true } } } },
            expect: { status: 'SUCCEEDED' },
          },
        ],
      },
    });
  });

  it('says what is missing', () => {
    const two = { StateMachines: { A: { TestCases: {} }, B: { TestCases: {} } } };
    assert.deepEqual(testFileFromMockConfig(two, 'm'), {
      ok: false,
      error: 'the mock config describes several machines (A, B); name one with --name',
    });
    assert.deepEqual(testFileFromMockConfig({ StateMachines: { A: { TestCases: { T: { S: 'Gone' } } } } }, 'm'), {
      ok: false,
      error: 'test case "T", state "S": no mocked response named "Gone"',
    });
  });
});

describe('example test files', () => {
  const files = fs
    .readdirSync(path.join(root, 'examples'), { recursive: true, encoding: 'utf8' })
    .filter((f) => TEST_FILE.test(f))
    .map((f) => path.join(root, 'examples', f));

  it('exist, parse and satisfy the JSON Schema editors use', () => {
    assert.ok(files.length >= 9, `${files.length} example test files`);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(getSchema('asl-test')! as object);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const parsed = parseTestFile(text, 'yaml');
      assert.ok(parsed.ok, `${f}: ${JSON.stringify(parsed)}`);
      assert.ok(validate(parseYaml(text, { merge: true })), `${f}: ${JSON.stringify(validate.errors)}`);
    }
  });
});

describe('editor support', () => {
  it('associates JSON and YAML test files with the schema in the extension manifest', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const url = './schemas/asl-test.schema.json';
    const json = pkg.contributes.jsonValidation.find((v: { url: string }) => v.url === url);
    const yaml = pkg.contributes.yamlValidation.find((v: { url: string }) => v.url === url);
    assert.deepEqual([json?.fileMatch].flat(), ['*.asl-test.json']);
    assert.deepEqual([yaml?.fileMatch].flat(), ['*.asl-test.yaml', '*.asl-test.yml']);
  });
});
