/**
 * Loading of test files for `asl-workbench test` (the test file, its machine, the machine's
 * run config), and the worker-thread side of its pool: a worker loads each test file once and
 * runs the cases it is sent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { analyze, enforceValidation, type Analysis } from '../../asl/src/analyze';
import { formatOf } from '../../asl/src/parse/format';
import { parseTestFile, type TestFile, type TestFileProblem } from '../../asl/src/testing/testFile';
import type { Position } from '../../asl/src/types';
import type { S3StandIns } from '../../asl/src/runConfig';
import { PSEUDO_PARAMETER_STAND_INS, resolveSubstitutions } from '../../asl/src/templates';
import { loadRunConfig, stateMachineNameOf } from '../../runner/src/config';
import type { LocalRunConfig } from '../../runner/src/drivers/types';
import { runTestCase, type CaseOutcome } from '../../runner/src/testing/runCase';
import { readMachineFile } from './machineFile';

/** A test file ready to run. */
export interface Suite {
  file: string;
  tests: TestFile;
  /** absolute path of the machine file (definition or template) */
  machineFile: string;
  /** the machine's coverage key: its file, and its logical id in a template */
  machineKey: string;
  analysis: Analysis;
  /** the position in the machine file of an offset of `analysis.doc` */
  positionAt(offset: number): Position;
  stateMachineName: string;
  config?: LocalRunConfig;
}

export type LoadedSuite =
  { ok: true; suite: Suite } | { ok: false; problems: { message: string; line?: number; character?: number }[] };

const STAND_IN_MACHINE_TYPE = 'STANDARD';

/**
 * Reads, checks and prepares a test file; problems carry the test file's line and column.
 * `s3` replaces the run config's S3 stand-ins (the copies `sandboxS3` made).
 */
export function loadSuite(file: string, s3?: S3StandIns): LoadedSuite {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ message: `cannot read it: ${(e as Error).message}` }] };
  }
  const parsed = parseTestFile(text, formatOf(file));
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => located(text, p)) };
  const tests = parsed.file;
  const machineFile = path.resolve(path.dirname(file), tests.machine.path);
  if (!fs.existsSync(machineFile))
    return {
      ok: false,
      problems: [
        { message: `the machine file ${tests.machine.path} does not exist (paths are relative to the test file)` },
      ],
    };
  const m = readMachineFile('test', machineFile, { stripBom: true, machine: tests.machine.logicalId });
  if (!m) return { ok: false, problems: [{ message: `cannot load the machine ${tests.machine.path}` }] };
  const cfg = loadRunConfig(machineFile);
  if (!cfg.ok) return { ok: false, problems: [{ message: cfg.error }] };
  let config: LocalRunConfig = s3 ? { ...cfg.value, s3 } : cfg.value;
  let analysis: Analysis;
  if (m.embedded) {
    const values = resolveSubstitutions(
      m.embedded.machine,
      undefined,
      config.substitutions,
      PSEUDO_PARAMETER_STAND_INS,
    );
    config = { ...config, substitutions: values };
    analysis = analyze(m.embedded.machine.text, m.embedded.machine.format, {
      machineType: STAND_IN_MACHINE_TYPE,
      substitutions: values,
    });
  } else
    analysis = analyze(m.doc.text, m.doc.format, {
      machineType: STAND_IN_MACHINE_TYPE,
      substitutions: config.substitutions,
    });
  // a machine AWS would refuse to create fails the file, not each of its cases
  try {
    enforceValidation(analysis, 'refuse');
  } catch (e) {
    return {
      ok: false,
      problems: [{ message: `the machine ${tests.machine.path} is invalid; ${(e as Error).message}` }],
    };
  }
  return {
    ok: true,
    suite: {
      file,
      tests,
      machineFile,
      machineKey: tests.machine.logicalId ? `${machineFile}#${tests.machine.logicalId}` : machineFile,
      analysis,
      positionAt: m.positionAt,
      stateMachineName: stateMachineNameOf(machineFile, config, tests.stateMachineName, m.embedded?.machine.id),
      config,
    },
  };
}

/**
 * Copies the S3 stand-in folders of a suite's run config to a temporary folder, so that
 * ResultWriter output and other writes of test runs never land in the user's folders.
 * Returns the stand-ins pointing at the copies and a function that removes them.
 */
export function sandboxS3(suite: Suite): { s3: S3StandIns; dispose(): void } | undefined {
  const s3 = suite.config?.s3;
  if (!s3) return undefined;
  const base = suite.config?.configPath ? path.dirname(suite.config.configPath) : path.dirname(suite.machineFile);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-test-s3-'));
  const copy = (from: string, to: string): string => {
    const source = path.resolve(base, from);
    if (fs.existsSync(source)) fs.cpSync(source, to, { recursive: true });
    else fs.mkdirSync(to, { recursive: true });
    return to;
  };
  const sandbox: S3StandIns = {};
  if (s3.root !== undefined) sandbox.root = copy(s3.root, path.join(dir, 'root'));
  if (s3.buckets) {
    sandbox.buckets = {};
    Object.entries(s3.buckets).forEach(([bucket, folder], i) => {
      sandbox.buckets![bucket] = copy(folder, path.join(dir, `bucket-${i}`));
    });
  }
  suite.config = { ...suite.config, s3: sandbox };
  return { s3: sandbox, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function located(text: string, p: TestFileProblem): { message: string; line: number; character: number } {
  const before = text.slice(0, p.offset);
  const line = before.split('\n').length - 1;
  return { message: p.message, line, character: p.offset - (before.lastIndexOf('\n') + 1) };
}

/** Runs case `index` of a loaded suite. */
export function runSuiteCase(suite: Suite, index: number): Promise<CaseOutcome> {
  return runTestCase(suite.tests.cases[index]!, {
    analysis: suite.analysis,
    stateMachineName: suite.stateMachineName,
    config: suite.config,
    baseDir: path.dirname(suite.machineFile),
  });
}

/** A job of the pool: case `index` of the test file `file`. */
export interface CaseJob {
  id: number;
  file: string;
  index: number;
  /** the S3 stand-ins of the suite's sandbox */
  s3?: S3StandIns;
}

export type CaseReply = { id: number; outcome: CaseOutcome } | { id: number; error: string };

/** The `workerData` flag that makes the CLI entry serve test cases instead of parsing argv. */
export const TEST_WORKER_FLAG = 'aslWorkbenchTestWorker';

/** The worker thread's loop: say `ready`, then load each test file once and answer each job with its outcome. */
export function serveTestWorker(): void {
  const port = parentPort;
  if (!port) return;
  const suites = new Map<string, LoadedSuite>();
  port.on('message', (job: CaseJob) => {
    let loaded = suites.get(job.file);
    if (!loaded) suites.set(job.file, (loaded = loadSuite(job.file, job.s3)));
    if (!loaded.ok) {
      port.postMessage({ id: job.id, error: loaded.problems.map((p) => p.message).join('; ') } satisfies CaseReply);
      return;
    }
    void runSuiteCase(loaded.suite, job.index).then(
      (outcome) => port.postMessage({ id: job.id, outcome } satisfies CaseReply),
      (e: unknown) => port.postMessage({ id: job.id, error: String((e as Error)?.message ?? e) } satisfies CaseReply),
    );
  });
  port.postMessage('ready');
}
