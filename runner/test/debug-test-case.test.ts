/**
 * The debug adapter running a test file's case (launch argument `check`, as the Test
 * Explorer's Debug profile launches it): the case's mocks from a mock config file, a
 * breakpoint that stops, and the case's outcome in an `aslTestResult` event and the Debug
 * Console; a Task state the mocks leave out fails as in `asl-workbench test`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseTestFile, type TestCase } from '../../asl/src/testing/testFile';
import { mockConfigOfCase } from '../../asl/src/testing/toMockConfig';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';
import { ASL_TEST_RESULT_EVENT, type AslTestResultBody } from '../src/debug/protocol';
import { AdapterSession, DEBUG_FIXTURES, lineOf } from './debug-helpers';

const CHARGE = path.join(DEBUG_FIXTURES, 'charge.asl.json');
const MACHINE_NAME = 'charge';

let session: AdapterSession | undefined;
const temps: string[] = [];
afterEach(async () => {
  await session?.close();
  session = undefined;
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The one case of a test file of the charge machine. */
function caseOf(yaml: string): TestCase {
  const parsed = parseTestFile(`machine: charge.asl.json\ncases:\n${yaml}`, 'yaml');
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.file.cases[0]!;
}

/** Starts the adapter on `tc` as the Test Explorer does; resolves to its result event. */
async function debugCase(
  tc: TestCase,
  breakpoints: DebugProtocol.SourceBreakpoint[] = [],
): Promise<{ s: AdapterSession; result: Promise<AslTestResultBody> }> {
  const s = (session = await AdapterSession.start());
  let body: AslTestResultBody | undefined;
  s.dc.on(ASL_TEST_RESULT_EVENT, (e: DebugProtocol.Event) => (body = e.body as AslTestResultBody));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-debug-case-'));
  temps.push(dir);
  const { config, real } = mockConfigOfCase(tc, MACHINE_NAME);
  const mockConfig = path.join(dir, 'mock-config.json');
  fs.writeFileSync(mockConfig, JSON.stringify(config));
  await s.launch(
    {
      program: CHARGE,
      input: tc.input,
      mockConfig,
      testCase: tc.name,
      stateMachineName: MACHINE_NAME,
      check: { expect: tc.expect, realStates: real },
    },
    { breakpoints },
  );
  const result = s.ended().then(() => waitFor(() => body, { message: `the ${ASL_TEST_RESULT_EVENT} event` }));
  return { s, result };
}

const MOCKED = `    input: { order: A-1 }
    mocks:
      Charge:
        Return: { Containers: [{ ExitCode: 0 }] }
`;

describe('debug adapter: a test case', () => {
  it("stops at a breakpoint with the case's input and reports the case passed", async () => {
    const tc = caseOf(
      `  - name: charges\n${MOCKED}    expect:\n      path: [Charge]\n      outputPaths: { '$.Containers[0].ExitCode': 0 }\n`,
    );
    const { s, result } = await debugCase(tc, [{ line: lineOf(CHARGE, '"Charge": {') }]);
    const stop = await s.nextStop();
    assert.equal(stop.reason, 'breakpoint');
    const [top] = await s.frames(stop.threadId!);
    assert.equal(top?.name, 'Charge');
    assert.equal((await s.scope(top!.id, 'Input')).get('order')?.value, '"A-1"');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    const r = await result;
    assert.deepEqual(r.mismatches, []);
    assert.equal(r.passed, true);
    assert.match(s.output, /✔ The test case passed\./);
  });

  it('reports a wrong expectation as failed with what differs, as the test command does', async () => {
    const tc = caseOf(
      `  - name: wrong exit code\n${MOCKED}    expect:\n      outputPaths: { '$.Containers[0].ExitCode': 3 }\n`,
    );
    const r = await (await debugCase(tc)).result;
    assert.equal(r.passed, false);
    assert.deepEqual(r.mismatches, [{ subject: 'output', at: '$.Containers[0].ExitCode', expected: 3, actual: 0 }]);
    assert.match(session!.output, /✘ The test case failed:\n {4}output at \$\.Containers\[0\]\.ExitCode/);
  });

  it('fails a Task state the case does not mock instead of starting a container', async () => {
    const tc = caseOf(`  - name: no mocks\n    input: { order: A-1 }\n    expect: { status: SUCCEEDED }\n`);
    const r = await (await debugCase(tc)).result;
    assert.equal(r.passed, false);
    assert.deepEqual(
      r.mismatches.map((m) => `${m.subject}: ${m.note}`),
      ['states.Charge: reached without a mock (add it under "mocks")'],
    );
  });
});
