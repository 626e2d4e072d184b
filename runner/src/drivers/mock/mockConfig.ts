/**
 * Step Functions Local's mock config (DG "mocked service integrations"): `StateMachines`
 * → machine name → `TestCases` → test case → state name → mocked response name;
 * `MockedResponses` → name → invocation key ("0", "1-2", …) → `{Return: value}` or
 * `{Throw: {Error, Cause}}`. Pure parsing and lookup; the driver is in index.ts.
 */
import type { MockAnswer } from '../../../../asl/src/testing/testFile';

export interface MockConfig {
  StateMachines?: Record<string, { TestCases?: Record<string, Record<string, string>> }>;
  MockedResponses?: Record<string, Record<string, MockedResponse>>;
}

/** One answer (the test files of asl/src/testing/ take the same answers). */
export type MockedResponse = MockAnswer;

/** Validates the overall shape; returns problems as text (empty when fine). */
export function checkMockConfig(value: unknown): string[] {
  const problems: string[] = [];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return ['the mock config must be a JSON object'];
  const c = value as Record<string, unknown>;
  if (c.StateMachines !== undefined && (typeof c.StateMachines !== 'object' || c.StateMachines === null))
    problems.push('"StateMachines" must be an object');
  if (c.MockedResponses !== undefined && (typeof c.MockedResponses !== 'object' || c.MockedResponses === null))
    problems.push('"MockedResponses" must be an object');
  for (const [name, resp] of Object.entries((c.MockedResponses as Record<string, unknown>) ?? {})) {
    if (!resp || typeof resp !== 'object') {
      problems.push(`MockedResponses.${name} must be an object`);
      continue;
    }
    for (const [key, r] of Object.entries(resp)) {
      if (!/^\d+(-\d+)?$/.test(key))
        problems.push(`MockedResponses.${name}: invocation key "${key}" must be "N" or "N-M"`);
      if (!r || typeof r !== 'object' || (!('Return' in r) && !('Throw' in r)))
        problems.push(`MockedResponses.${name}.${key} needs "Return" or "Throw"`);
    }
  }
  return problems;
}

/** The test cases defined for a machine. */
export function testCasesOf(config: MockConfig, machineName: string): string[] {
  return Object.keys(config.StateMachines?.[machineName]?.TestCases ?? {});
}

/** State name → mocked response name for a machine's test case (undefined if absent). */
export function testCase(config: MockConfig, machineName: string, name: string): Record<string, string> | undefined {
  return config.StateMachines?.[machineName]?.TestCases?.[name];
}

/** The response for the n-th (0-based) invocation of a mocked response, if one is defined. */
export function responseFor(config: MockConfig, responseName: string, n: number): MockedResponse | undefined {
  const table = config.MockedResponses?.[responseName];
  if (!table) return undefined;
  const exact = table[String(n)];
  if (exact) return exact;
  for (const [key, r] of Object.entries(table)) {
    const m = /^(\d+)-(\d+)$/.exec(key);
    if (m && n >= Number(m[1]) && n <= Number(m[2])) return r;
  }
  return undefined;
}
