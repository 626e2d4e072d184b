/**
 * `asl-workbench run <machine> [--input <json or file>] [--mock-config f --test-case c]
 * [--time-scale n] [--json] [--history] [--name n] [--execution-name n] [--role-arn arn] [--config f]
 * [--machine-type t] [--s3-root dir]`
 *
 * Refuses a machine with errors before anything else (the list every entry point gives, exit
 * 2), runs it with the default drivers (or mocks), prints progress on stderr and the output on
 * stdout.
 * Exit 0 SUCCEEDED, 1 any other status, 2 usage / definition / IO errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze, enforceValidation, type Analysis } from '../../asl/src/analyze';
import { formatOf } from '../../asl/src/parse/format';
import { substitutionsFor } from '../../asl/src/runConfig';
import type { Substitutions } from '../../asl/src/substitutions';
import { PSEUDO_PARAMETER_STAND_INS, resolveSubstitutions, type EmbeddedMachine } from '../../asl/src/templates';
import {
  addCase,
  caseFromExecution,
  topLevelStates,
  type Generated,
  type RecordedExecution,
} from '../../asl/src/testing/fromExecution';
import { TEST_FILE } from '../../asl/src/testing/testFile';
import type { MachineModel } from '../../asl/src/types';
import { InvalidDefinitionError } from '../../asl/src/validation';
import { startExecution, type RunOptions } from '../../runner/src/api';
import { findMockConfig, loadMockConfig, loadRunConfig, stateMachineNameOf } from '../../runner/src/config';
import { defaultDrivers } from '../../runner/src/drivers/defaults';
import { engineOptions } from '../../runner/src/drivers/docker/endpoint';
import { probeEngine } from '../../runner/src/drivers/docker/engine';
import type { LocalRunConfig } from '../../runner/src/drivers/types';
import type { HistoryEvent } from '../../runner/src/history';
import { refuseTemplateErrors, templateOf } from '../../runner/src/templateFile';
import { parseArgs } from './args';
import { pickMachine, readSubstitutionsFile } from './templateFile';

const USAGE = `usage: asl-workbench run <machine.asl.json|yaml|template> [options]
  --input <json|file>     execution input (default {})
  --machine <id>          the template's state machine (logical id or Terraform address),
                          when a CloudFormation, SAM, CDK template or .tf file holds several
  --substitutions <file>  values of \${Name} placeholders ({"Name": "value"}); looked up
                          after the template's own literal values and before the run
                          config's; pseudo parameters left over take local stand-ins
                          (AWS::Region us-east-1, AWS::AccountId 123456789012, …)
  --mock-config <file>    Step Functions Local mock config (also SFN_MOCK_CONFIG)
  --test-case <name>      test case of the mock config (default: the first)
  --time-scale <n>        1 real time, 0 skip Wait/Retry delays, 0.5 half
  --name <name>           state machine name (mock config key, $$.StateMachine.Name; default:
                          execution.stateMachineName of the run config, else the file base name)
  --execution-name <name> execution name ($$.Execution.Name; default: execution.name, else a UUID)
  --role-arn <arn>        $$.Execution.RoleArn (default: execution.roleArn of the run config)
  --config <file>         local run config (default: asl-workbench.run.json nearby)
  --machine-type <t>      STANDARD (default) or EXPRESS
  --s3-root <dir>         local folder standing in for every S3 bucket as <dir>/<bucket>/
                          (Distributed Map ItemReader / ResultWriter)
  --save-test <file>      after the run, add it as a test case to this *.asl-test.yaml / .json
                          (created when missing, naming the machine relative to it); the
                          recorded task results become the case's mocks (docs/testing.md)
  --test-name <name>      the saved case's name (default: the execution name)
  --json                  print {"status","output","error","cause","problem"} on stdout
  --history               with --json: include the execution history
  --aws                   run the deployed state machine on AWS instead (run --aws --help)`;

export function readInput(arg: string | undefined): unknown {
  if (arg === undefined) return {};
  try {
    return JSON.parse(arg);
  } catch {
    if (fs.existsSync(arg)) return JSON.parse(fs.readFileSync(arg, 'utf8'));
    throw new Error(`--input is neither JSON nor a readable file: ${arg}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    [
      'input',
      'mock-config',
      'test-case',
      'time-scale',
      'name',
      'execution-name',
      'role-arn',
      'config',
      'machine-type',
      's3-root',
      'machine',
      'substitutions',
      'save-test',
      'test-name',
    ],
    ['json', 'history', 'help'],
  );
  const err = (s: string): boolean => process.stderr.write(s + '\n');
  if (args.flags.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.errors.length || args.positionals.length !== 1) {
    err(args.errors.concat(args.positionals.length ? [] : ['missing <machine>']).join('\n') + '\n' + USAGE);
    return 2;
  }
  const file = path.resolve(args.positionals[0]!);
  const o = args.options;
  const machineType = (o['machine-type'] ?? 'STANDARD').toUpperCase();
  if (machineType !== 'STANDARD' && machineType !== 'EXPRESS')
    return (err('--machine-type must be STANDARD or EXPRESS'), 2);
  const timeScale = o['time-scale'] !== undefined ? Number(o['time-scale']) : 1;
  if (!Number.isFinite(timeScale) || timeScale < 0) return (err('--time-scale must be a number >= 0'), 2);
  if (o['save-test'] !== undefined && !TEST_FILE.test(o['save-test']))
    return (err(`--save-test must name a test file (*.asl-test.yaml or *.asl-test.json): ${o['save-test']}`), 2);

  const loaded = loadValidMachine('run', file, o, machineType);
  if (typeof loaded === 'number') return loaded;
  const { analysis, embedded, values } = loaded;

  const options: RunOptions = {
    // the analysis just checked: the run neither parses nor validates the text again
    definition: analysis,
    validation: 'refuse',
    name: o['execution-name'],
    roleArn: o['role-arn'],
    timeScale,
    machineType,
    baseDir: path.dirname(file),
  };
  try {
    options.input = readInput(o.input);
    const cfg = loadRunConfig(file, o.config);
    if (!cfg.ok) return (err(cfg.error), 2);
    // the runner puts the placeholder values in, as the deployment would
    options.config = embedded ? { ...cfg.value, substitutions: values } : cfg.value;
    // the run config's name beats the file name; an explicit --name beats both
    options.stateMachineName = stateMachineNameOf(file, cfg.value, o.name, embedded?.id);
    // relative to the working directory, like the other paths given on the command line
    if (o['s3-root'] !== undefined) options.config = withS3Root(options.config, path.resolve(o['s3-root']));
    const mock = findMockConfig(file, o['mock-config']);
    let useMock = !!mock && !mock.implicit;
    if (mock?.implicit) {
      const engine = await probeEngine(engineOptions(options.config));
      useMock = !engine.reachable;
      if (useMock)
        err(
          `run: no container engine is reachable at ${engine.endpoint.label}; using the mocks of ${path.relative(process.cwd(), mock.file) || mock.file}`,
        );
    }
    if (mock && useMock) {
      const m = loadMockConfig(mock.file);
      if (!m.ok) return (err(m.error), 2);
      options.mockConfig = m.value;
      options.testCase = o['test-case'];
    } else if (o['test-case']) return (err('--test-case needs a mock config (--mock-config or SFN_MOCK_CONFIG)'), 2);
  } catch (e) {
    return (err(`run: ${(e as Error).message}`), 2);
  }
  options.drivers = defaultDrivers().create();
  options.onLog = (line, source) => err(`  [${source ?? 'log'}] ${line}`);
  options.onEvent = progress(err);
  const controller = new AbortController();
  options.signal = controller.signal;
  // first Ctrl-C / SIGTERM: stop like StopExecution (ABORTED, containers and networks removed);
  // the handler is `once`, so a second Ctrl-C kills at once (`clean` removes what is left)
  const onSignal = (signal: NodeJS.Signals): void => {
    err(`run: ${signal}: stopping the execution and removing its containers (press Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let started;
  try {
    started = startExecution(options);
  } catch (e) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    return (err(`run: ${(e as Error).message}`), 2);
  }
  const r = await started.result;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const code = printResult(r, { json: args.flags.has('json'), history: args.flags.has('history') });
  if (o['save-test'] === undefined) return code;
  const name = o['test-name'] ?? r.executionArn.slice(r.executionArn.lastIndexOf(':') + 1);
  const saved = saveTestCase(
    path.resolve(o['save-test']),
    name,
    { ...r, input: options.input, events: r.history },
    {
      file,
      model: analysis.model,
      logicalId: embedded?.id,
    },
  );
  if (!saved.ok) return (err(`run: not saved as a test case: ${saved.error}`), 2);
  err(
    `run: saved test case "${name}" to ${path.relative(process.cwd(), saved.value.file) || saved.value.file}:${saved.value.line + 1}`,
  );
  return code;
}

/**
 * Adds the ended execution `exec` as the case `name` to the test file `testFile` (created
 * when missing, naming the machine relative to it); returns where the case starts.
 */
function saveTestCase(
  testFile: string,
  name: string,
  exec: RecordedExecution,
  machine: { file: string; model: MachineModel; logicalId?: string },
): Generated<{ file: string; line: number }> {
  const tc = caseFromExecution(name, exec, topLevelStates(machine.model));
  if (!tc.ok) return tc;
  let text: string | undefined;
  try {
    text = fs.readFileSync(testFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, error: (e as Error).message };
  }
  const rel = path.relative(path.dirname(testFile), machine.file).split(path.sep).join('/');
  const added = addCase(text, formatOf(testFile), tc.value, { path: rel, logicalId: machine.logicalId });
  if (!added.ok) return added;
  try {
    fs.mkdirSync(path.dirname(testFile), { recursive: true });
    fs.writeFileSync(testFile, added.value.text);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  return { ok: true, value: { file: testFile, line: added.value.line } };
}

/** The end of a run as every `run` prints it (local or on AWS); the exit code: 0 SUCCEEDED, 1 otherwise. */
export function printResult(
  r: { status: string; output?: unknown; error?: string; cause?: string; problem?: unknown; history?: unknown },
  how: { json: boolean; history: boolean },
): number {
  if (how.json) {
    const out: Record<string, unknown> = { status: r.status };
    if (r.output !== undefined) out.output = r.output;
    if (r.error !== undefined) out.error = r.error;
    if (r.cause !== undefined) out.cause = r.cause;
    if (r.problem) out.problem = r.problem;
    if (how.history) out.history = r.history;
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else if (r.status === 'SUCCEEDED') {
    process.stdout.write(JSON.stringify(r.output, null, 2) + '\n');
  } else {
    process.stderr.write(`${r.status}${r.error ? `: ${r.error}` : ''}${r.cause ? `\n${r.cause}` : ''}\n`);
  }
  return r.status === 'SUCCEEDED' ? 0 : 1;
}

export interface ValidMachine {
  analysis: Analysis;
  /** the template's machine, when the file is a template */
  embedded?: EmbeddedMachine;
  /** placeholder values: the template's, --substitutions, the run config's */
  values?: Substitutions;
}

/**
 * Reads the machine file (or the template's `--machine`), resolves its substitutions and
 * refuses it with the list every entry point gives when it has errors: exit code 2 then.
 */
export function loadValidMachine(
  command: 'run' | 'deploy',
  file: string,
  o: Record<string, string | undefined>,
  machineType: 'STANDARD' | 'EXPRESS',
): ValidMachine | number {
  const err = (s: string): boolean => process.stderr.write(s + '\n');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return (err(`cannot read ${file}: ${(e as Error).message}`), 2);
  }
  const subs = substitutionsFor(file, { fs, path }, o.config);
  const template = templateOf(file, text);
  const embedded = template && pickMachine(command, template, o.machine);
  if (template && !embedded) return 2;
  if (!template && o.machine !== undefined)
    return (err(`${command}: ${file} holds no template state machines: --machine is for templates`), 2);
  const given = o.substitutions ? readSubstitutionsFile(command, o.substitutions) : undefined;
  if (o.substitutions && !given) return 2;
  const values = embedded
    ? resolveSubstitutions(embedded, given, subs?.values, PSEUDO_PARAMETER_STAND_INS)
    : given
      ? { ...subs?.values, ...given }
      : subs?.values;
  const source =
    [embedded && 'the template', o.substitutions, subs && path.basename(subs.file)].filter(Boolean).join(', ') ||
    undefined;
  const validateOptions = { machineType, substitutions: values, substitutionsSource: source } as const;
  const analysis = embedded
    ? analyze(embedded.text, embedded.format, validateOptions)
    : analyze(text, formatOf(file), validateOptions);
  // refused before the input, the configs and the engine are looked at
  try {
    if (embedded && template) refuseTemplateErrors(embedded, template, validateOptions);
    else enforceValidation(analysis, 'refuse');
  } catch (e) {
    if (!(e instanceof InvalidDefinitionError)) throw e;
    return (
      err(
        `${command}: ${path.relative(process.cwd(), file)} is invalid; not ${command === 'run' ? 'running' : 'deploying'} it\n${e.message}`,
      ),
      2
    );
  }
  return { analysis, embedded: embedded || undefined, values };
}

/** The run config with every bucket not mapped by its `s3.buckets` standing in as `<root>/<bucket>/`. */
function withS3Root(config: LocalRunConfig, root: string): LocalRunConfig {
  return { ...config, s3: { ...config.s3, root } };
}

/** Progress lines on stderr: state entered/exited with durations, task and execution events. */
export function progress(err: (s: string) => void): (e: HistoryEvent) => void {
  const entered = new Map<string, number>();
  const depthOf = new Map<number, number>();
  return (e) => {
    const d = (e[Object.keys(e).find((k) => k.endsWith('EventDetails')) ?? ''] ?? {}) as Record<string, unknown>;
    const t = e.timestamp.getTime();
    const depth = depthOf.get(e.previousEventId) ?? 0;
    let nextDepth = depth;
    const pad = '  '.repeat(depth);
    if (e.type.endsWith('StateEntered')) {
      entered.set(String(d.name), t);
      err(`${pad}▶ ${String(d.name)} (${e.type.slice(0, -'StateEntered'.length)})`);
    } else if (e.type.endsWith('StateExited')) {
      const start = entered.get(String(d.name));
      err(`${pad}✔ ${String(d.name)}${start !== undefined ? ` ${t - start} ms` : ''}`);
    } else if (e.type === 'MapIterationStarted' || e.type === 'ParallelStateStarted') nextDepth = depth + 1;
    else if (e.type === 'MapRunStarted') err(`${pad}  map run ${String(d.mapRunArn)}`);
    else if (
      e.type === 'TaskFailed' ||
      e.type === 'TaskTimedOut' ||
      e.type === 'MapRunFailed' ||
      e.type === 'ExecutionFailed'
    )
      err(`${pad}✘ ${e.type}: ${String(d.error ?? '')} ${String(d.cause ?? '').slice(0, 300)}`);
    else if (e.type === 'MapIterationSucceeded' || e.type === 'MapIterationFailed') nextDepth = Math.max(0, depth - 1);
    depthOf.set(e.id, nextDepth);
    if (depthOf.size > 50000) depthOf.clear();
  };
}
