/**
 * Turns the test cases of a Step Functions Local mock config into a test file: each test case
 * becomes a case whose mocks are its mocked responses, expecting the execution to succeed
 * (add the output, path and state checks the case is about).
 */
export type Imported = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The test file data for the machine `machineName` of `config` (the only machine when not
 * given), with `machinePath` (relative to the test file) as its machine.
 */
export function testFileFromMockConfig(config: unknown, machinePath: string, machineName?: string): Imported {
  if (!isObject(config) || !isObject(config.StateMachines))
    return { ok: false, error: 'the mock config has no "StateMachines" object' };
  const machines = Object.keys(config.StateMachines);
  const name = machineName ?? (machines.length === 1 ? machines[0] : undefined);
  if (name === undefined)
    return {
      ok: false,
      error: `the mock config describes ${machines.length ? `several machines (${machines.join(', ')})` : 'no machine'}; name one with --name`,
    };
  const machine = config.StateMachines[name];
  if (!isObject(machine) || !isObject(machine.TestCases))
    return {
      ok: false,
      error: `the mock config has no test cases for "${name}" (machines: ${machines.join(', ') || 'none'})`,
    };
  const responses = isObject(config.MockedResponses) ? config.MockedResponses : {};
  const cases: Record<string, unknown>[] = [];
  for (const [caseName, states] of Object.entries(machine.TestCases)) {
    if (!isObject(states))
      return { ok: false, error: `test case "${caseName}" must map state names to mocked responses` };
    const mocks: Record<string, unknown> = {};
    for (const [state, responseName] of Object.entries(states)) {
      const answers = typeof responseName === 'string' ? responses[responseName] : undefined;
      if (!isObject(answers))
        return {
          ok: false,
          error: `test case "${caseName}", state "${state}": no mocked response named ${JSON.stringify(responseName)}`,
        };
      mocks[state] = answers;
    }
    cases.push({ name: caseName, input: {}, mocks, expect: { status: 'SUCCEEDED' } });
  }
  return { ok: true, value: { machine: machinePath, stateMachineName: name, cases } };
}
