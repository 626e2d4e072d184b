/**
 * The Test Explorer for state machine test files (`*.asl-test.yaml` / `.json`, docs/testing.md):
 * discovers the files of the workspace and their cases, runs the chosen cases with the CLI's
 * `test` command (bundled in dist/runWorker.js) or debugs them (debugCase.ts), shows failures
 * as diffs at the case's line, and per-state coverage of the machine files through VS Code's
 * test-coverage API.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Mismatch } from '../../../asl/src/testing/compare';
import type { CoverageReport } from '../../../asl/src/testing/coverage';
import { formatOf } from '../../../asl/src/parse/format';
import { parseTestFile, TEST_FILE, type TestCase } from '../../../asl/src/testing/testFile';
import { machineUri } from '../templates';
import { requireTrust, untrustedMessage } from '../trust';
import { debugCase, textOf } from './debugCase';

export const TEST_FILE_GLOB = '**/*.asl-test.{yaml,yml,json}';
const EXCLUDED = '**/node_modules/**';

/** A case of the JSON report `asl-workbench test --json` writes (docs/testing.md). */
interface ReportedCase {
  name: string;
  line: number;
  passed: boolean;
  mismatches: Mismatch[];
  durationMs: number;
}
interface Report {
  files: { file: string; machine: string; cases: ReportedCase[] }[];
}
type ReportedCoverage = CoverageReport & { machine: string };

/** What the controller knows of a case item: its test file and its name there. */
interface CaseData {
  file: vscode.Uri;
  name: string;
}

/** What a test run reported, as the Test Explorer shows it. */
/** What a run reported for one case. */
export interface CaseResult {
  state: 'passed' | 'failed' | 'errored';
  messages: vscode.TestMessage[];
}

export interface FinishedTestRun {
  /** per case item id */
  results: Map<string, CaseResult>;
  coverage: vscode.FileCoverage[];
  /** the coverage per machine (its file, or a template's machine uri), for the graph preview */
  machines: { uri: vscode.Uri; report: CoverageReport }[];
  /** what the run printed in the Test Results output */
  output: string;
}

export interface TestingApi {
  controller: vscode.TestController;
  /** discovers every test file of the workspace (the Test Explorer does it when it opens) */
  discover(): Promise<void>;
  /** fires when a run ends: the extension API has no other way to read a run's results */
  onDidFinishRun: vscode.Event<FinishedTestRun>;
  /** the Run, Coverage and Debug profiles, whose handlers API callers may start directly */
  profiles: Record<'run' | 'coverage' | 'debug', vscode.TestRunProfile>;
}

export function registerTesting(context: vscode.ExtensionContext): TestingApi {
  const controller = vscode.tests.createTestController('aslWorkbench.tests', 'State machine tests');
  const cases = new WeakMap<vscode.TestItem, CaseData>();
  const runnerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'runWorker.js').fsPath;
  const finished = new vscode.EventEmitter<FinishedTestRun>();

  const update = (uri: vscode.Uri, text: string): void => {
    const id = uri.toString();
    let fileItem = controller.items.get(id);
    if (!fileItem) {
      fileItem = controller.createTestItem(id, path.basename(uri.fsPath), uri);
      controller.items.add(fileItem);
    }
    const parsed = parseTestFile(text, formatOf(uri.fsPath));
    if (!parsed.ok) {
      fileItem.error = parsed.problems.map((p) => p.message).join('\n');
      fileItem.children.replace([]);
      return;
    }
    fileItem.error = undefined;
    fileItem.children.replace(
      parsed.file.cases.map((tc: TestCase) => {
        const item = controller.createTestItem(`${id}#${tc.name}`, tc.name, uri);
        item.range = new vscode.Range(tc.line, 0, tc.line, 0);
        cases.set(item, { file: uri, name: tc.name });
        return item;
      }),
    );
  };
  const read = async (uri: vscode.Uri): Promise<void> => {
    try {
      update(uri, await textOf(uri));
    } catch {
      controller.items.delete(uri.toString());
    }
  };
  const discover = async (): Promise<void> => {
    const uris = await vscode.workspace.findFiles(TEST_FILE_GLOB, EXCLUDED);
    await Promise.all(uris.map(read));
  };
  controller.resolveHandler = async (item) => {
    if (!item) await discover();
  };
  controller.refreshHandler = async () => {
    controller.items.replace([]);
    await discover();
  };

  const watcher = vscode.workspace.createFileSystemWatcher(TEST_FILE_GLOB);
  watcher.onDidCreate((uri) => void read(uri));
  watcher.onDidChange((uri) => void read(uri));
  watcher.onDidDelete((uri) => controller.items.delete(uri.toString()));
  // a folder copied or moved in reports only the folder, not the test files inside it
  const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
  folders.onDidCreate(async (uri) => {
    if (TEST_FILE.test(uri.fsPath)) return;
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (stat?.type !== vscode.FileType.Directory) return;
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, TEST_FILE_GLOB), EXCLUDED);
    await Promise.all(found.map(read));
  });
  folders.onDidDelete((uri) => {
    const inside = uri.toString() + '/';
    const gone: string[] = [];
    controller.items.forEach((i) => {
      if (i.id.startsWith(inside)) gone.push(i.id);
    });
    for (const id of gone) controller.items.delete(id);
  });
  const isTestFile = (d: vscode.TextDocument): boolean => d.uri.scheme === 'file' && TEST_FILE.test(d.uri.fsPath);
  context.subscriptions.push(
    controller,
    watcher,
    folders,
    // the cases follow the editor as the user types, before the file is saved
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isTestFile(e.document)) update(e.document.uri, e.document.getText());
    }),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isTestFile(d)) update(d.uri, d.getText());
    }),
  );

  /** A test run that keeps what it reports in a FinishedTestRun, fired when it ends. */
  const startRun = (request: vscode.TestRunRequest) => {
    const testRun = controller.createTestRun(request);
    const record: FinishedTestRun = { results: new Map(), coverage: [], machines: [], output: '' };
    const passed = (item: vscode.TestItem, ms: number): void => {
      testRun.passed(item, ms);
      record.results.set(item.id, { state: 'passed', messages: [] });
    };
    const failed = (item: vscode.TestItem, messages: vscode.TestMessage[], ms?: number): void => {
      testRun.failed(item, messages, ms);
      record.results.set(item.id, { state: 'failed', messages });
    };
    const errored = (item: vscode.TestItem, message: vscode.TestMessage): void => {
      testRun.errored(item, message);
      record.results.set(item.id, { state: 'errored', messages: [message] });
    };
    const reported = (item: vscode.TestItem, c: Omit<ReportedCase, 'name' | 'line'>): void => {
      if (c.passed) passed(item, c.durationMs);
      else failed(item, failureMessages(c, item), c.durationMs);
    };
    const print = (s: string): void => {
      record.output += s;
      testRun.appendOutput(s.replace(/\r?\n/g, '\r\n'));
    };
    /**
     * In an untrusted workspace: says why (not awaited, so the run ends without the user's
     * answer) and errors every case with the same words.
     */
    const trusted = (action: string, selected: vscode.TestItem[]): boolean => {
      if (vscode.workspace.isTrusted) return true;
      void requireTrust(action);
      const message = new vscode.TestMessage(untrustedMessage(action));
      for (const item of selected) errored(item, message);
      return false;
    };
    const end = (): void => {
      testRun.end();
      finished.fire(record);
    };
    return { testRun, record, reported, errored, print, trusted, end };
  };

  const run = async (
    request: vscode.TestRunRequest,
    token: vscode.CancellationToken,
    coverage: boolean,
  ): Promise<void> => {
    const { testRun, record, reported, errored, print, trusted, end } = startRun(request);
    try {
      const selected = casesOf(request, controller);
      if (!trusted('Running state machine tests', selected)) return;
      for (const item of selected) testRun.enqueued(item);
      const byFile = new Map<string, vscode.TestItem[]>();
      for (const item of selected) {
        const data = cases.get(item);
        if (!data) continue;
        const list = byFile.get(data.file.fsPath) ?? [];
        list.push(item);
        byFile.set(data.file.fsPath, list);
      }
      if (!byFile.size || token.isCancellationRequested) return;
      for (const item of selected) testRun.started(item);
      // a file whose every case is chosen runs whole; otherwise `file#case` names each case
      const targets = [...byFile].flatMap(([file, items]) =>
        items.length === items[0]?.parent?.children.size ? [file] : items.map((i) => `${file}#${cases.get(i)!.name}`),
      );
      const cwd = path.dirname([...byFile.keys()][0]!);
      const outcome = await runTestCommand(runnerPath, targets, cwd, coverage, token, print);
      if (outcome.kind === 'failed') {
        const message = new vscode.TestMessage(outcome.message);
        for (const item of selected) errored(item, message);
        return;
      }
      for (const f of outcome.report.files) {
        const file = path.resolve(outcome.cwd, f.file);
        const items = byFile.get(file) ?? [];
        for (const c of f.cases) {
          const item = items.find((i) => cases.get(i)?.name === c.name);
          if (item) reported(item, c);
        }
      }
      if (coverage)
        for (const c of outcome.coverage) {
          const machine = machineOfLabel(outcome.cwd, c.machine);
          const fileCoverage = new StateFileCoverage(machine.file, c);
          testRun.addCoverage(fileCoverage);
          record.coverage.push(fileCoverage);
          record.machines.push({ uri: machine.uri, report: c });
        }
    } finally {
      end();
    }
  };

  /** Debugs the chosen cases one after the other, each in its own debug session. */
  const debug = async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
    const { testRun, reported, errored, trusted, end } = startRun(request);
    try {
      const selected = casesOf(request, controller);
      if (!trusted('Debugging state machine tests', selected)) return;
      for (const item of selected) testRun.enqueued(item);
      for (const item of selected) {
        const data = cases.get(item);
        if (!data || token.isCancellationRequested) continue;
        testRun.started(item);
        const outcome = await debugCase(data.file, data.name, testRun, token);
        if (outcome.kind === 'result') reported(item, outcome.result);
        else errored(item, new vscode.TestMessage(outcome.message));
      }
    } finally {
      end();
    }
  };
  const runProfile = controller.createRunProfile(
    'Run',
    vscode.TestRunProfileKind.Run,
    (request, token) => run(request, token, false),
    true,
  );
  const coverageProfile = controller.createRunProfile(
    'Run with Coverage',
    vscode.TestRunProfileKind.Coverage,
    (request, token) => run(request, token, true),
    true,
  );
  coverageProfile.loadDetailedCoverage = async (_run, fileCoverage) =>
    fileCoverage instanceof StateFileCoverage ? fileCoverage.details() : [];
  const debugProfile = controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, debug, true);
  context.subscriptions.push(runProfile, coverageProfile, debugProfile, finished);
  // the margin's run buttons and "Run All Tests" need the cases before the Test Explorer opens
  for (const d of vscode.workspace.textDocuments) if (isTestFile(d)) update(d.uri, d.getText());
  void discover();
  return {
    controller,
    discover,
    onDidFinishRun: finished.event,
    profiles: { run: runProfile, coverage: coverageProfile, debug: debugProfile },
  };
}

/**
 * The case items a request names (a file item stands for its cases), less the excluded ones,
 * each once: "Run Test at Cursor" can name the same case twice.
 */
function casesOf(request: vscode.TestRunRequest, controller: vscode.TestController): vscode.TestItem[] {
  const roots: vscode.TestItem[] = [];
  if (request.include) roots.push(...request.include);
  else controller.items.forEach((i) => roots.push(i));
  const excluded = new Set(request.exclude ?? []);
  const out = new Map<string, vscode.TestItem>();
  const walk = (item: vscode.TestItem): void => {
    if (excluded.has(item)) return;
    if (item.children.size) item.children.forEach(walk);
    else if (item.parent) out.set(item.id, item);
  };
  roots.forEach(walk);
  return [...out.values()];
}

/**
 * The machine a coverage label names (its path relative to the run's folder, and `#logicalId`
 * in a template): its file, and the uri the graph preview knows it by (the file's, or the
 * template's machine uri).
 */
function machineOfLabel(cwd: string, label: string): { file: vscode.Uri; uri: vscode.Uri } {
  const hash = label.lastIndexOf('#');
  const file = vscode.Uri.file(path.resolve(cwd, hash > 0 ? label.slice(0, hash) : label));
  return { file, uri: hash > 0 ? machineUri(file, label.slice(hash + 1)) : file };
}

function failureMessages(c: Pick<ReportedCase, 'mismatches'>, item: vscode.TestItem): vscode.TestMessage[] {
  const location = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
  const list = c.mismatches.length ? c.mismatches : [{ subject: 'case', at: '', note: 'failed' }];
  return list.map((m) => {
    const title = `${m.subject}${m.at ? ` at ${m.at}` : ''}${m.note ? `: ${m.note}` : ''}`;
    const message =
      'expected' in m || 'actual' in m
        ? vscode.TestMessage.diff(title, shown(m, 'expected'), shown(m, 'actual'))
        : new vscode.TestMessage(title);
    message.location = location;
    return message;
  });
}

/** A side of a diff as the CLI prints it: JSON, `(absent)` when the side has no value. */
function shown(m: Mismatch, side: 'expected' | 'actual'): string {
  if (!(side in m) || m[side] === undefined) return '(absent)';
  return JSON.stringify(m[side], null, 2);
}

/** Coverage of a machine file: a statement per state, a branch per transition out of it. */
class StateFileCoverage extends vscode.FileCoverage {
  constructor(
    uri: vscode.Uri,
    private readonly report: CoverageReport,
  ) {
    super(
      uri,
      new vscode.TestCoverageCount(report.totals.statesCovered, report.totals.states),
      new vscode.TestCoverageCount(report.totals.transitionsCovered, report.totals.transitions),
    );
  }

  details(): vscode.StatementCoverage[] {
    return this.report.states.map(
      (s) =>
        new vscode.StatementCoverage(
          s.hits,
          new vscode.Position(s.line, 0),
          this.report.transitions
            .filter((t) => t.from === s.name)
            .map(
              (t) =>
                new vscode.BranchCoverage(t.hits, new vscode.Position(t.line, 0), `${t.from} → ${t.to} (${t.via})`),
            ),
        ),
    );
  }
}

type CommandOutcome =
  { kind: 'ran'; cwd: string; report: Report; coverage: ReportedCoverage[] } | { kind: 'failed'; message: string };

/**
 * Forks the test command in `cwd` on `targets` (test files and `file#case`, an argument array)
 * and reads its JSON reports. Exit 0 and 1 both mean the cases ran; anything else (an invalid
 * test file, an unknown case, a crash) fails every case with what the command printed.
 */
async function runTestCommand(
  runnerPath: string,
  targets: string[],
  cwd: string,
  coverage: boolean,
  token: vscode.CancellationToken,
  output: (s: string) => void,
): Promise<CommandOutcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-test-run-'));
  const jsonFile = path.join(dir, 'report.json');
  const coverageFile = path.join(dir, 'coverage.json');
  // the first argument selects the test command of the bundle (cli/src/extensionWorker.ts)
  const args = ['test', ...targets, '--json', jsonFile, ...(coverage ? ['--coverage-json', coverageFile] : [])];
  try {
    const { code, printed } = await new Promise<{ code: number | null; printed: string }>((resolve) => {
      let printed = '';
      const child = fork(runnerPath, args, {
        cwd,
        // the extension host may be Electron: run the command as plain Node
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        execArgv: [],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      const take = (d: string): void => {
        printed += d;
        output(d);
      };
      child.stdout?.setEncoding('utf8').on('data', take);
      child.stderr?.setEncoding('utf8').on('data', take);
      const cancel = token.onCancellationRequested(() => child.kill());
      child.on('error', (e) => {
        cancel.dispose();
        resolve({ code: null, printed: printed + e.message });
      });
      child.on('exit', (exitCode) => {
        cancel.dispose();
        resolve({ code: exitCode, printed });
      });
    });
    if (code !== 0 && code !== 1)
      return { kind: 'failed', message: printed.trim() || `the test command exited with code ${code}` };
    const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Report;
    const covered = coverage ? (JSON.parse(fs.readFileSync(coverageFile, 'utf8')) as ReportedCoverage[]) : [];
    return { kind: 'ran', cwd, report, coverage: covered };
  } catch (e) {
    return { kind: 'failed', message: `cannot read the test report: ${(e as Error).message}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
