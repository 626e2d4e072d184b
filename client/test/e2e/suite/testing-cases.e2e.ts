/**
 * The Test Explorer running and debugging single cases in the real extension host: a case run
 * from the editor's cursor runs alone (the test command is given that case only), and the
 * Debug profile starts an `asl` debug session on the case's machine with its input and mocks
 * that stops at a breakpoint in the machine, then reports the case's result as a run does;
 * a case of a machine in a template stops at a breakpoint on a line of the template.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import type { FinishedTestRun } from '../../../src/testing/index';
import { assertExitCodeDiff, copyExample, EXTENSION_ID, positionOf, repoRoot, runAtCase, wsFile } from './helpers';

/** A folder of its own: the other Test Explorer suite runs the same fixture in tests/. */
const DIR = 'tests-cases';
const TEST_FILE = `${DIR}/starter.asl-test.yaml`;
const MACHINE = `${DIR}/starter.asl.yaml`;
const PASSING = "the task's exit code lands in the output";
const FAILING = 'a wrong expected exit code fails with a diff';

/** The top frame of the first thread of a paused `asl` session. */
interface PausedFrame {
  id: number;
  name: string;
  line: number;
  source?: { path?: string };
}

/**
 * Calls `inspect` with the top frame each time an `asl` session pauses, then continues it;
 * dispose to stop.
 */
function continueOnPause(
  inspect: (session: vscode.DebugSession, top: PausedFrame) => Promise<void>,
): vscode.Disposable {
  return vscode.debug.onDidReceiveDebugSessionCustomEvent(async (e) => {
    if (e.event !== 'aslState' || (e.body as { status?: string }).status !== 'paused') return;
    const { threads } = (await e.session.customRequest('threads')) as { threads: { id: number }[] };
    const threadId = threads[0]!.id;
    const { stackFrames } = (await e.session.customRequest('stackTrace', { threadId })) as {
      stackFrames: PausedFrame[];
    };
    await inspect(e.session, stackFrames[0]!);
    await e.session.customRequest('continue', { threadId });
  });
}

describe('Test Explorer: single cases and the Debug profile', function () {
  this.timeout(90_000);
  let api: AslWorkbenchApi;

  before(async function () {
    const root = repoRoot();
    assert.ok(root, 'the repository is found above the e2e run directory');
    fs.cpSync(path.join(root, 'e2e/fixtures/testing'), path.dirname(wsFile(TEST_FILE).fsPath), { recursive: true });
    api = await vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.activate();
    await api.testing.discover();
  });

  after(() => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  const caseId = (name: string): string => `${wsFile(TEST_FILE).toString()}#${name}`;

  const atCase = (name: string, command: string): Promise<FinishedTestRun> =>
    runAtCase(api.testing, wsFile(TEST_FILE), name, command);

  it('runs the case at the cursor alone', async () => {
    const run = await atCase(PASSING, 'testing.runAtCursor');
    assert.deepEqual([...run.results.keys()], [caseId(PASSING)]);
    assert.equal(run.results.get(caseId(PASSING))?.state, 'passed');
    // the test command ran that case only: the file's other case is not in its output
    assert.match(run.output, new RegExp(`✔ ${PASSING} \\(\\d+ ms\\)`));
    assert.doesNotMatch(run.output, new RegExp(FAILING), run.output);
    assert.match(run.output, /1 cases in 1 files: 1 passed, 0 failed/);
  });

  it("debugs the case at the cursor: stops at a breakpoint with the case's input, then reports it passed", async () => {
    const machine = await vscode.workspace.openTextDocument(wsFile(MACHINE));
    const line = positionOf(machine, '  Run task:').line;
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(machine.uri, new vscode.Position(line, 0))),
    ]);
    let session: vscode.DebugSession | undefined;
    let stopped: { name: string; line: number; file?: string; greeting: string } | undefined;
    const subs = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'asl') session = s;
      }),
      continueOnPause(async (paused, top) => {
        const { result } = (await paused.customRequest('evaluate', {
          expression: '$.greeting',
          frameId: top.id,
          context: 'repl',
        })) as { result: string };
        stopped = { name: top.name, line: top.line, file: top.source?.path, greeting: result };
      }),
    ];
    try {
      const run = await atCase(PASSING, 'testing.debugAtCursor');
      const result = run.results.get(caseId(PASSING));
      assert.equal(result?.state, 'passed', JSON.stringify(result?.messages.map((m) => m.message)));
      assert.deepEqual([...run.results.keys()], [caseId(PASSING)]);
      assert.ok(stopped, 'the session stopped at the breakpoint');
      assert.match(stopped.name, /Run task/);
      assert.equal(stopped.line, line + 1, 'the frame is on the line of the state (1-based)');
      // a path, or in the web workbench a vscode-remote: uri with the path
      assert.ok(stopped.file?.endsWith(machine.uri.path), `the frame's source ${stopped.file}`);
      assert.equal(stopped.greeting, '"hello"', "the case's input");
      assert.equal(session?.configuration.testCase, PASSING);
      const mockConfig = session?.configuration.mockConfig as string | undefined;
      assert.ok(mockConfig && !fs.existsSync(mockConfig), `the temporary mock config ${mockConfig} is removed`);
    } finally {
      for (const s of subs) s.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });

  it('debugs a case with a wrong expectation and fails it with the diff a run shows', async () => {
    const run = await atCase(FAILING, 'testing.debugAtCursor');
    assertExitCodeDiff(run.results.get(caseId(FAILING)));
  });

  it('debugs a case of a machine in a template: stops at a breakpoint on a template line, then reports it passed', async () => {
    const root = repoRoot()!;
    const dir = copyExample(root, 'cloudformation', 'tests-cases');
    const file = vscode.Uri.file(path.join(dir, 'template.asl-test.yaml'));
    const template = await vscode.workspace.openTextDocument(path.join(dir, 'template.yaml'));
    // a line inside the state, below its name: the frame shows the state's name line
    const inside = positionOf(template, 'LaunchType: FARGATE').line;
    const nameLine = positionOf(template, 'Run commands:').line;
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(template.uri, new vscode.Position(inside, 0))),
    ]);
    await api.testing.discover();
    let session: vscode.DebugSession | undefined;
    let stopped: { name: string; line: number; file?: string } | undefined;
    const subs = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'asl') session = s;
      }),
      continueOnPause(async (_session, top) => {
        stopped = { name: top.name, line: top.line, file: top.source?.path };
      }),
    ];
    try {
      const name = 'the commands and the container name reach ecs:runTask';
      const run = await runAtCase(api.testing, file, name, 'testing.debugAtCursor');
      const result = run.results.get(`${file.toString()}#${name}`);
      assert.equal(result?.state, 'passed', JSON.stringify(result?.messages.map((m) => m.message)));
      assert.equal(session?.configuration.machine, 'RunCommands');
      assert.ok(stopped, 'the session stopped at the breakpoint');
      assert.match(stopped.name, /Run commands/);
      assert.equal(
        stopped.line,
        nameLine + 1,
        "the frame is on the line of the state's name in the template (1-based)",
      );
      assert.ok(stopped.file?.endsWith(template.uri.path), `the frame's source ${stopped.file}`);
    } finally {
      for (const s of subs) s.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });
});
