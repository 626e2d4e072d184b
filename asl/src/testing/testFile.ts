/**
 * Test files of state machines (`*.asl-test.yaml` / `*.asl-test.json`, schema
 * schemas/asl-test.schema.json): which machine, and cases with input, mocked task answers
 * and expectations. Parsing and checking only; the runner (runner/src/testing/) runs them.
 *
 * Mocks reuse the answers of Step Functions Local's mock config (`Return` / `Throw`, keyed by
 * invocation "0", "1-3", …), so a mocked response can be copied from one file to the other.
 */
import { parseDocument } from '../parse/index';
import { getValue, nodeValue, propertyEntries } from '../parse/tree';
import { parseJsonPath } from '../paths/jsonpath';
import type { AstNode, DocumentFormat } from '../types';

/** Matches the file names of test files. */
export const TEST_FILE = /\.asl-test\.(json|ya?ml)$/i;

/** The value a state mock takes to run the state with the real drivers (containers, Kubernetes). */
export const REAL_TASK = 'real';

/** Every invocation of a state answered by a mock given without invocation keys. */
export const EVERY_INVOCATION = '0-999999999';

/** An answer of Step Functions Local's mock config. */
export type MockAnswer = { Return: unknown } | { Throw: { Error?: string; Cause?: string } };

/** A state's mock: answers by invocation key ("0", "1-3"), or `real`. */
export type StateMock = typeof REAL_TASK | Record<string, MockAnswer>;

/** Checks of one JSON value: exact, partial (a deep subset) and by JSONPath. */
export interface ValueCheck {
  /** present when the value must equal `equals` exactly */
  equals?: { value: unknown };
  /** objects: the listed keys, recursively; arrays: same length, item by item; else equal */
  matches?: { value: unknown };
  /** JSONPath (`$.a.b`) → expected value (exact) */
  paths?: Record<string, unknown>;
}

/** Expectations on one visit of a state. */
export interface StateExpectation {
  /** which visit (0 = the first time the state runs; Map iterations and retries count) */
  visit: number;
  input?: ValueCheck;
  output?: ValueCheck;
  /** a Task's effective Parameters / Arguments, as its integration receives them */
  parameters?: ValueCheck;
}

export const EXECUTION_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExpectedStatus = (typeof EXECUTION_STATUSES)[number];

export interface Expectations {
  /** default SUCCEEDED */
  status: ExpectedStatus;
  output?: ValueCheck;
  error?: string;
  cause?: string;
  /** the states of the top level, in the order they ran */
  path?: string[];
  states: Record<string, StateExpectation>;
}

export interface TestCase {
  name: string;
  /** zero-based line of the case in the test file */
  line: number;
  input: unknown;
  mocks: Record<string, StateMock>;
  expect: Expectations;
}

/** The machine under test: a definition file, or a template and the machine's logical id. */
export interface MachineRef {
  /** relative to the test file */
  path: string;
  /** the template's state machine (logical id or Terraform address) when it holds several */
  logicalId?: string;
}

export interface TestFile {
  machine: MachineRef;
  /** `$$.StateMachine.Name` */
  stateMachineName?: string;
  cases: TestCase[];
}

export interface TestFileProblem {
  message: string;
  offset: number;
  length: number;
}

export type TestFileResult = { ok: true; file: TestFile } | { ok: false; problems: TestFileProblem[] };

const TOP_KEYS = new Set(['$schema', 'machine', 'stateMachineName', 'cases']);
const CASE_KEYS = new Set(['name', 'input', 'mocks', 'expect']);
const VALUE_KEYS = ['output', 'input', 'parameters'] as const;

/** The keys of one ValueCheck: `output`, `outputMatches`, `outputPaths` (same for input, parameters). */
function valueKeys(base: string): string[] {
  return [base, `${base}Matches`, `${base}Paths`];
}
const EXPECT_KEYS = new Set(['status', 'error', 'cause', 'path', 'states', ...valueKeys('output')]);
const STATE_KEYS = new Set(['visit', ...VALUE_KEYS.flatMap(valueKeys)]);

const INVOCATION_KEY = /^\d+(-\d+)?$/;

/** Parses and checks a test file's text; every problem has the range it is about. */
export function parseTestFile(text: string, format: DocumentFormat): TestFileResult {
  const doc = parseDocument(text, format);
  const problems: TestFileProblem[] = [];
  const at = (node: AstNode | undefined, message: string): void => {
    problems.push({ message, offset: node?.offset ?? 0, length: node?.length ?? 0 });
  };
  for (const p of doc.problems)
    if (p.severity === 'error') problems.push({ message: p.message, offset: p.offset, length: p.length });
  if (problems.length) return { ok: false, problems };
  const root = doc.root;
  if (!root || root.type !== 'object')
    return {
      ok: false,
      problems: [{ message: 'A test file must be an object with "machine" and "cases".', offset: 0, length: 0 }],
    };
  unknownKeys(root, TOP_KEYS, '', at);

  const machine = machineRef(getValue(root, 'machine'), root, at);
  const nameNode = getValue(root, 'stateMachineName');
  if (nameNode && nameNode.type !== 'string') at(nameNode, '"stateMachineName" must be a string.');
  const casesNode = getValue(root, 'cases');
  const cases: TestCase[] = [];
  if (!casesNode || casesNode.type !== 'array' || !casesNode.children?.length)
    at(casesNode ?? root, '"cases" must be a non-empty list of test cases.');
  else {
    const names = new Set<string>();
    for (const c of casesNode.children) {
      const nameNode = getValue(c, 'name');
      if (nameNode?.type === 'string') {
        const name = String(nameNode.value);
        if (names.has(name)) at(nameNode, `Two cases are named "${name}"; names must be unique in a file.`);
        names.add(name);
      }
      const tc = testCase(c, at, doc.positionAt(c.offset).line);
      if (tc) cases.push(tc);
    }
  }
  if (problems.length || !machine) return { ok: false, problems };
  const file: TestFile = { machine, cases };
  if (nameNode?.type === 'string') file.stateMachineName = String(nameNode.value);
  return { ok: true, file };
}

type At = (node: AstNode | undefined, message: string) => void;

function unknownKeys(obj: AstNode, allowed: Set<string>, where: string, at: At): void {
  for (const [key, keyNode] of propertyEntries(obj))
    if (!allowed.has(key)) at(keyNode, `Unknown key "${key}"${where}; expected one of: ${[...allowed].join(', ')}.`);
}

function machineRef(node: AstNode | undefined, root: AstNode, at: At): MachineRef | undefined {
  if (node?.type === 'string' && node.value) return { path: String(node.value) };
  if (node?.type === 'object') {
    unknownKeys(node, new Set(['path', 'logicalId']), ' in "machine"', at);
    const p = getValue(node, 'path');
    const id = getValue(node, 'logicalId');
    if (p?.type !== 'string' || !p.value)
      return (at(p ?? node, '"machine.path" must name the machine or template file.'), undefined);
    if (id && id.type !== 'string') return (at(id, '"machine.logicalId" must be a string.'), undefined);
    return id ? { path: String(p.value), logicalId: String(id.value) } : { path: String(p.value) };
  }
  at(
    node ?? root,
    '"machine" must be the path of the state machine file (relative to the test file), or {path, logicalId}.',
  );
  return undefined;
}

function testCase(node: AstNode, at: At, line: number): TestCase | undefined {
  if (node.type !== 'object') return (at(node, 'A test case must be an object with "name".'), undefined);
  unknownKeys(node, CASE_KEYS, ' in a test case', at);
  const nameNode = getValue(node, 'name');
  if (nameNode?.type !== 'string' || !nameNode.value)
    return (at(nameNode ?? node, 'A test case needs a "name" (a non-empty string).'), undefined);
  const name = String(nameNode.value);
  const inputNode = getValue(node, 'input');
  const mocks = mocksOf(getValue(node, 'mocks'), at);
  const expect = expectations(getValue(node, 'expect'), at);
  if (!mocks || !expect) return undefined;
  return { name, line, input: inputNode ? nodeValue(inputNode) : {}, mocks, expect };
}

function mocksOf(node: AstNode | undefined, at: At): Record<string, StateMock> | undefined {
  const mocks: Record<string, StateMock> = {};
  if (!node) return mocks;
  if (node.type !== 'object') return (at(node, '"mocks" must map state names to mocked answers.'), undefined);
  let ok = true;
  for (const [state, , value] of propertyEntries(node)) {
    const m = stateMock(state, value, at);
    if (m) mocks[state] = m;
    else ok = false;
  }
  return ok ? mocks : undefined;
}

function stateMock(state: string, node: AstNode | undefined, at: At): StateMock | undefined {
  if (node?.type === 'string' && node.value === REAL_TASK) return REAL_TASK;
  if (node?.type !== 'object')
    return (
      at(
        node,
        `The mock of "${state}" must be {Return: …}, {Throw: {Error, Cause}}, answers by invocation ({"0": …, "1-2": …}) or "${REAL_TASK}".`,
      ),
      undefined
    );
  if (getValue(node, 'Return') || getValue(node, 'Throw')) {
    const single = answer(state, node, undefined);
    if (single.answer) return { [EVERY_INVOCATION]: single.answer };
    return (at(node, single.problem!), undefined);
  }
  const table: Record<string, MockAnswer> = {};
  let ok = true;
  for (const [key, keyNode, value] of propertyEntries(node)) {
    if (!INVOCATION_KEY.test(key)) {
      at(keyNode, `"${key}" in the mock of "${state}": use Return, Throw or invocation keys such as "0" or "1-3".`);
      ok = false;
      continue;
    }
    const a = answer(state, value, key);
    if (a.answer) table[key] = a.answer;
    else {
      at(value ?? keyNode, a.problem!);
      ok = false;
    }
  }
  return ok ? table : undefined;
}

function answer(
  state: string,
  node: AstNode | undefined,
  key: string | undefined,
): { answer?: MockAnswer; problem?: string } {
  const where = `the mock of "${state}"${key === undefined ? '' : ` (invocation ${key})`}`;
  if (node?.type !== 'object') return { problem: `${where} must be {Return: …} or {Throw: {Error, Cause}}.` };
  const ret = getValue(node, 'Return');
  const thr = getValue(node, 'Throw');
  if (ret && !thr) return { answer: { Return: nodeValue(ret) } };
  if (thr && !ret) {
    const t = nodeValue(thr);
    if (!t || typeof t !== 'object' || Array.isArray(t))
      return { problem: `Throw in ${where} must be {Error, Cause}.` };
    const { Error: error, Cause: cause } = t as Record<string, unknown>;
    if ((error !== undefined && typeof error !== 'string') || (cause !== undefined && typeof cause !== 'string'))
      return { problem: `Error and Cause of Throw in ${where} must be strings.` };
    return { answer: { Throw: { Error: error as string | undefined, Cause: cause as string | undefined } } };
  }
  return { problem: `${where} needs exactly one of Return and Throw.` };
}

function expectations(node: AstNode | undefined, at: At): Expectations | undefined {
  const e: Expectations = { status: 'SUCCEEDED', states: {} };
  if (!node) return e;
  if (node.type !== 'object') return (at(node, '"expect" must be an object.'), undefined);
  unknownKeys(node, EXPECT_KEYS, ' in "expect"', at);
  let ok = true;
  const status = getValue(node, 'status');
  if (status) {
    if (status.type === 'string' && (EXECUTION_STATUSES as readonly string[]).includes(String(status.value)))
      e.status = status.value as ExpectedStatus;
    else {
      at(status, `"status" must be one of ${EXECUTION_STATUSES.join(', ')}.`);
      ok = false;
    }
  }
  for (const k of ['error', 'cause'] as const) {
    const v = getValue(node, k);
    if (!v) continue;
    if (v.type === 'string') e[k] = String(v.value);
    else {
      at(v, `"${k}" must be a string.`);
      ok = false;
    }
  }
  const path = getValue(node, 'path');
  if (path) {
    const names = nodeValue(path);
    if (Array.isArray(names) && names.every((n) => typeof n === 'string')) e.path = names as string[];
    else {
      at(path, '"path" must be a list of state names.');
      ok = false;
    }
  }
  const output = valueCheck(node, 'output', at);
  if (output === null) ok = false;
  else if (output) e.output = output;
  const states = getValue(node, 'states');
  if (states) {
    if (states.type !== 'object') {
      at(states, '"states" must map state names to expectations.');
      ok = false;
    } else
      for (const [name, , value] of propertyEntries(states)) {
        const s = stateExpectation(name, value, at);
        if (s) e.states[name] = s;
        else ok = false;
      }
  }
  return ok ? e : undefined;
}

function stateExpectation(name: string, node: AstNode | undefined, at: At): StateExpectation | undefined {
  if (node?.type !== 'object') return (at(node, `The expectations of "${name}" must be an object.`), undefined);
  unknownKeys(node, STATE_KEYS, ` in the expectations of "${name}"`, at);
  const s: StateExpectation = { visit: 0 };
  const visit = getValue(node, 'visit');
  if (visit) {
    if (visit.type === 'number' && Number.isInteger(visit.value) && (visit.value as number) >= 0)
      s.visit = visit.value as number;
    else return (at(visit, '"visit" must be an integer >= 0 (0 = the first time the state runs).'), undefined);
  }
  let ok = true;
  for (const base of VALUE_KEYS) {
    const c = valueCheck(node, base, at);
    if (c === null) ok = false;
    else if (c) s[base] = c;
  }
  return ok ? s : undefined;
}

/** The ValueCheck of `base`, `baseMatches`, `basePaths` in `node`; null when one is invalid. */
function valueCheck(node: AstNode, base: string, at: At): ValueCheck | undefined | null {
  const [exactKey, matchesKey, pathsKey] = valueKeys(base) as [string, string, string];
  const check: ValueCheck = {};
  const exact = getValue(node, exactKey);
  if (exact) check.equals = { value: nodeValue(exact) };
  const matches = getValue(node, matchesKey);
  if (matches) check.matches = { value: nodeValue(matches) };
  const paths = getValue(node, pathsKey);
  if (paths) {
    if (paths.type !== 'object')
      return (at(paths, `"${pathsKey}" must map JSONPaths ("$.a.b") to expected values.`), null);
    check.paths = {};
    for (const [p, keyNode, value] of propertyEntries(paths)) {
      const parsed = parseJsonPath(p);
      if (!parsed.ok || !p.startsWith('$'))
        return (
          at(keyNode, `"${p}" is not a JSONPath: ${parsed.ok ? 'it must start with "$"' : parsed.error.message}`),
          null
        );
      check.paths[p] = nodeValue(value);
    }
  }
  return exact || matches || paths ? check : undefined;
}
