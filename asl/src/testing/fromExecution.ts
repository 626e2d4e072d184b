/**
 * Turns a recorded execution (its input, end and history events) into a test case that replays
 * it: every Task state's recorded results become its mocked answers, one per invocation in the
 * order the state ran them (a failed attempt that was retried or caught is a `Throw`), and the
 * case expects the same status, output or error, and top-level path. Also adds such a case to
 * the text of a test file, keeping the user's text and comments.
 */
import { Document, isMap, isPair, isSeq, parseDocument as parseYaml, visit, type YAMLSeq } from 'yaml';
import type { DocumentFormat, MachineModel } from '../types';
import { parseTestFile, type MachineRef, type MockAnswer } from './testFile';

/** The part of a history event this reads (AWS's HistoryEvent shape; timestamps are ignored). */
export interface RecordedEvent {
  id: number;
  previousEventId: number;
  type: string;
  [details: string]: unknown;
}

/** An ended execution as a run records it. */
export interface RecordedExecution {
  input: unknown;
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  events: readonly RecordedEvent[];
}

export type Generated<T> = { ok: true; value: T } | { ok: false; error: string };

/** The event types of a task's outcome, whatever style the resource records (Task, Lambda, Activity). */
const TASK_EVENT = /^(Task|LambdaFunction|Activity)(Scheduled|Succeeded|Failed|TimedOut)$/;

/** The error a timed-out task answers with, replayed as a thrown error. */
const TIMEOUT_ERROR = 'States.Timeout';

function details(e: RecordedEvent): Record<string, unknown> {
  for (const k of Object.keys(e))
    if (k.endsWith('EventDetails') && e[k] && typeof e[k] === 'object') return e[k] as Record<string, unknown>;
  return {};
}

function parseOutput(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The answers each Task state gave, in invocation order. Task events carry no state name, so
 * every event inherits the state of the event it follows (`previousEventId`), which keeps the
 * branches of a Parallel and the iterations of a Map apart.
 */
function taskAnswers(events: readonly RecordedEvent[]): Map<string, MockAnswer[]> {
  const stateOf = new Map<number, string>();
  /** the open invocation of an event's chain: [state, index in its list] */
  const slotOf = new Map<number, [string, number]>();
  const answers = new Map<string, (MockAnswer | undefined)[]>();
  for (const e of events) {
    const d = details(e);
    const state =
      e.type.endsWith('StateEntered') && typeof d.name === 'string' ? d.name : stateOf.get(e.previousEventId);
    if (state !== undefined) stateOf.set(e.id, state);
    let slot = slotOf.get(e.previousEventId);
    const m = TASK_EVENT.exec(e.type);
    if (m && state !== undefined) {
      if (m[2] === 'Scheduled') {
        let list = answers.get(state);
        if (!list) answers.set(state, (list = []));
        slot = [state, list.length];
        list.push(undefined);
      } else if (slot) {
        const list = answers.get(slot[0])!;
        if (m[2] === 'Succeeded') list[slot[1]] = { Return: parseOutput(d.output) };
        else {
          const thrown: { Error?: string; Cause?: string } = {};
          const error = m[2] === 'TimedOut' ? (d.error ?? TIMEOUT_ERROR) : d.error;
          if (typeof error === 'string') thrown.Error = error;
          if (typeof d.cause === 'string') thrown.Cause = d.cause;
          list[slot[1]] = { Throw: thrown };
        }
        slot = undefined;
      }
    }
    if (slot) slotOf.set(e.id, slot);
  }
  const done = new Map<string, MockAnswer[]>();
  for (const [state, list] of answers) {
    // an invocation without an outcome (the execution was stopped) has nothing to replay
    const given = list.filter((a): a is MockAnswer => a !== undefined);
    if (given.length) done.set(state, given);
  }
  return done;
}

/** Answers by invocation key, equal neighbours merged into a range ("1-3"). */
function byInvocation(answers: MockAnswer[]): Record<string, MockAnswer> {
  const out: Record<string, MockAnswer> = {};
  let start = 0;
  for (let i = 1; i <= answers.length; i++) {
    if (i < answers.length && JSON.stringify(answers[i]) === JSON.stringify(answers[start])) continue;
    out[i - 1 === start ? `${start}` : `${start}-${i - 1}`] = answers[start]!;
    start = i;
  }
  return out;
}

/** The names of a machine's top-level states: the states a case's `path` lists. */
export function topLevelStates(model: MachineModel): Set<string> {
  return new Set(model.root?.states.keys());
}

/**
 * The test case replaying `exec`, as test file data. `topLevel` holds the names of the
 * machine's top-level states: state names are unique in a machine, so the entered events of
 * those names are the top-level path the case checks.
 */
export function caseFromExecution(
  name: string,
  exec: RecordedExecution,
  topLevel: ReadonlySet<string>,
): Generated<Record<string, unknown>> {
  if (!name.trim()) return { ok: false, error: 'The test case needs a name.' };
  if (exec.status === 'RUNNING') return { ok: false, error: 'The execution is still running.' };
  if (exec.status === 'ABORTED')
    return { ok: false, error: 'The execution was stopped; a stopped run cannot be replayed as a test case.' };
  const mocks: Record<string, Record<string, MockAnswer>> = {};
  for (const [state, answers] of taskAnswers(exec.events)) mocks[state] = byInvocation(answers);
  const path: string[] = [];
  for (const e of exec.events) {
    if (!e.type.endsWith('StateEntered')) continue;
    const n = details(e).name;
    if (typeof n === 'string' && topLevel.has(n)) path.push(n);
  }
  const expect: Record<string, unknown> = { status: exec.status };
  if (exec.status === 'SUCCEEDED') expect.output = exec.output ?? null;
  if (exec.error !== undefined) expect.error = exec.error;
  if (exec.cause !== undefined) expect.cause = exec.cause;
  expect.path = path;
  const tc: Record<string, unknown> = { name, input: exec.input ?? {} };
  if (Object.keys(mocks).length) tc.mocks = mocks;
  tc.expect = expect;
  return { ok: true, value: tc };
}

/** Collections whose JSON is at most this long are written on one line (`{ ExitCode: 0 }`, `[A, B]`). */
const FLOW_WIDTH = 60;

const BLOCK_SECTIONS = new Set(['mocks', 'expect']);

/** The YAML node of `value`, short collections in flow style so that a case reads like hand-written ones. */
function yamlNode(doc: Document, value: unknown): ReturnType<Document['createNode']> {
  const node = doc.createNode(value);
  visit(node, {
    Collection(_key, n, path) {
      // the case and its sections stay in block style
      const parent = path[path.length - 1];
      const section = path.length === 2 && isPair(parent) && BLOCK_SECTIONS.has(String(parent.key));
      if (path.length >= 2 && !section && JSON.stringify(n.toJSON()).length <= FLOW_WIDTH) {
        n.flow = true;
        return visit.SKIP;
      }
      return undefined;
    },
  });
  return node;
}

/**
 * `text` with `tc` written after the last item of the block list `cases`, at the items'
 * indentation: the rest of the file stays byte for byte as the user wrote it (printing the
 * whole document again would respace its flow collections). Undefined for a flow list.
 */
function appendToBlockList(text: string, cases: YAMLSeq, tc: Record<string, unknown>): string | undefined {
  const first = cases.items[0] as { range?: [number, number, number] } | undefined;
  if (cases.flow || !first?.range || !cases.range) return undefined;
  const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const dash = /^( *)-\s*$/.exec(text.slice(lineStart, first.range[0]));
  if (!dash) return undefined;
  const item = new Document([]);
  (item.contents as YAMLSeq).items.push(yamlNode(item, tc));
  const lines = item.toString({ lineWidth: 0 }).replace(/\n$/, '').split('\n');
  const block = lines.map((l) => dash[1] + l).join('\n') + '\n';
  // after the line the list ends on (a comment on that line stays with it)
  const end = cases.range[1];
  const newline = end > 0 && text[end - 1] === '\n' ? end - 1 : text.indexOf('\n', end);
  if (newline < 0) return text + '\n' + block;
  return text.slice(0, newline + 1) + block + text.slice(newline + 1);
}

/** A test file's text with the case added, and the zero-based line where the case starts. */
export interface AddedCase {
  text: string;
  line: number;
}

/**
 * Adds `tc` to the test file `text` (undefined: a new file for `machine`). YAML keeps the
 * file's comments and layout; JSON is rewritten with two-space indents. Refuses a file that
 * is not a valid test file or already has a case of that name.
 */
export function addCase(
  text: string | undefined,
  format: DocumentFormat,
  tc: Record<string, unknown>,
  machine: MachineRef,
): Generated<AddedCase> {
  const name = String(tc.name);
  const fresh = text === undefined || !text.trim();
  if (!fresh) {
    const parsed = parseTestFile(text, format);
    if (!parsed.ok)
      return { ok: false, error: `The test file has problems; fix them first: ${parsed.problems[0]!.message}` };
    if (parsed.file.cases.some((c) => c.name === name))
      return { ok: false, error: `The test file already has a case named "${name}".` };
  }
  const ref = machine.logicalId ? { path: machine.path, logicalId: machine.logicalId } : machine.path;
  let out: string;
  if (format === 'json') {
    const data = fresh ? { machine: ref, cases: [] as unknown[] } : (JSON.parse(text) as { cases: unknown[] });
    data.cases.push(tc);
    out = JSON.stringify(data, null, 2) + '\n';
  } else {
    const doc: Document = fresh ? new Document({ machine: ref, cases: [] }) : parseYaml(text);
    const cases = isMap(doc.contents) ? doc.contents.get('cases', true) : undefined;
    if (!isSeq(cases)) return { ok: false, error: 'The test file has no "cases" list.' };
    const appended = fresh ? undefined : appendToBlockList(text, cases, tc);
    if (appended !== undefined) out = appended;
    else {
      cases.flow = false;
      cases.items.push(yamlNode(doc, tc));
      out = doc.toString({ lineWidth: 0 });
    }
  }
  const check = parseTestFile(out, format);
  const added = check.ok ? check.file.cases.find((c) => c.name === name) : undefined;
  if (!added) return { ok: false, error: `The generated case is not a valid test case.` };
  return { ok: true, value: { text: out, line: added.line } };
}
