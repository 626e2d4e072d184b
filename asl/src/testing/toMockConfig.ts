/**
 * A test case's mocks as a Step Functions Local mock config with one test case, the inverse of
 * fromMockConfig.ts: the runner answers the case's mocked Task states from it, and the
 * debugger reads it from a file as it reads any mock config.
 */
import { REAL_TASK, type MockAnswer, type TestCase } from './testFile';

/** A mock config (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html) of one machine and one test case. */
export interface CaseMockConfig {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockAnswer>>;
}

/**
 * The mock config of `tc` for the machine named `machineName` (its test case is named after
 * the case, each mocked response after its state), and the states the case runs for real.
 */
export function mockConfigOfCase(tc: TestCase, machineName: string): { config: CaseMockConfig; real: string[] } {
  const states: Record<string, string> = {};
  const responses: CaseMockConfig['MockedResponses'] = {};
  const real: string[] = [];
  for (const [state, mock] of Object.entries(tc.mocks)) {
    if (mock === REAL_TASK) real.push(state);
    else {
      states[state] = state;
      responses[state] = mock;
    }
  }
  return {
    config: { StateMachines: { [machineName]: { TestCases: { [tc.name]: states } } }, MockedResponses: responses },
    real,
  };
}
