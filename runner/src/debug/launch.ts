/**
 * From the launch arguments to what the execution needs: the machine file (or the template's
 * machine) read, analysed and refused when it has errors (as `run` refuses it), the input,
 * the local run config and the mock config chosen the way `asl-workbench run` chooses them,
 * and the lines of the file breakpoints and stack frames are in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze, enforceValidation, type Analysis } from '../../../asl/src/analyze';
import { formatOf } from '../../../asl/src/parse/format';
import { substitutionsFor, substitutionsOfConfig } from '../../../asl/src/runConfig';
import type { Substitutions } from '../../../asl/src/substitutions';
import {
  chooseMachine,
  missingPlaceholders,
  PSEUDO_PARAMETER_STAND_INS,
  resolveSubstitutions,
  type EmbeddedMachine,
} from '../../../asl/src/templates';
import type { RunOptions } from '../api';
import { checkRunConfig, findMockConfig, loadMockConfig, loadRunConfig } from '../config';
import { engineOptions } from '../drivers/docker/endpoint';
import { probeEngine } from '../drivers/docker/engine';
import { definitionPath, refuseTemplateErrors, templateOf, type TemplateFile } from '../templateFile';
import type { AslLaunchArguments } from './launchArgs';
import type { SourceLines } from './stateLines';

export interface PreparedLaunch {
  program: string;
  /** the file breakpoints and stack frames are in: the machine file, the template, or the template's definition file */
  source: string;
  /** the lines of `source` the definition's offsets are at; undefined: the definition's own */
  sourceLines?: SourceLines;
  analysis: Analysis;
  /** run options without drivers, listeners or observer */
  options: RunOptions;
  /** lines for the Debug Console before the run (which mocks, why) */
  notes: string[];
}

/** Reads and checks everything a launch names; throws an Error whose message the user sees. */
export async function prepareLaunch(args: AslLaunchArguments, cwd = process.cwd()): Promise<PreparedLaunch> {
  if (typeof args.program !== 'string' || !args.program)
    throw new Error("The launch configuration needs 'program': the state machine file.");
  const program = path.resolve(cwd, args.program);
  let text: string;
  try {
    text = fs.readFileSync(program, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the state machine ${program}: ${(e as Error).message}`);
  }
  const given = typeof args.runConfig === 'object' && args.runConfig !== null ? args.runConfig : undefined;
  const file = typeof args.runConfig === 'string' ? args.runConfig : undefined;
  const cfg = given ? checkRunConfig(given, "The launch argument 'runConfig'") : loadRunConfig(program, file);
  if (!cfg.ok) throw new Error(cfg.error);
  const subs = given
    ? { values: substitutionsOfConfig(given), file: given.configPath ?? 'runConfig' }
    : substitutionsFor(program, { fs, path }, file);
  const machineType = args.machineType ?? 'STANDARD';
  if (machineType !== 'STANDARD' && machineType !== 'EXPRESS')
    throw new Error("'machineType' must be STANDARD or EXPRESS.");
  const template = templateOf(program, text);
  if (!template && args.machine !== undefined)
    throw new Error(`${path.basename(program)} is not a template: 'machine' names a state machine inside one.`);
  const embedded = template && templateMachine(template, args.machine, subs?.values);
  const validateOptions = {
    machineType,
    substitutions: embedded ? embedded.values : subs?.values,
    substitutionsSource:
      [embedded && 'the template', subs && path.basename(subs.file)].filter(Boolean).join(', ') || undefined,
  } as const;
  const analysis = embedded
    ? analyze(embedded.machine.text, embedded.machine.format, validateOptions)
    : analyze(text, formatOf(program), validateOptions);
  try {
    if (embedded && template) refuseTemplateErrors(embedded.machine, template, validateOptions);
    else enforceValidation(analysis, 'refuse');
  } catch (e) {
    const what = embedded ? `${embedded.machine.id} in ${path.basename(program)}` : path.basename(program);
    throw new Error(`${what} has errors; fix them to debug it.\n${(e as Error).message}`);
  }
  const timeScale = args.timeScale ?? 1;
  if (typeof timeScale !== 'number' || !Number.isFinite(timeScale) || timeScale < 0)
    throw new Error("'timeScale' must be a number >= 0 (1 real time, 0 skips Wait and Retry delays).");
  const options: RunOptions = {
    definition: analysis,
    validation: 'refuse',
    input: readInput(args.input, [cwd, path.dirname(program)]),
    stateMachineName:
      args.stateMachineName ?? embedded?.machine.id ?? path.basename(program).replace(/(\.asl)?\.(json|ya?ml)$/i, ''),
    timeScale,
    machineType,
    baseDir: path.dirname(program),
    // the runner puts the placeholder values in, as the deployment would
    config: embedded ? { ...cfg.value, substitutions: embedded.values } : cfg.value,
  };
  const notes: string[] = [];
  if (args.testCase !== null) {
    const mock = findMockConfig(program, args.mockConfig);
    let useMock = !!mock && (!mock.implicit || typeof args.testCase === 'string');
    if (mock && !useMock) {
      // like `run`: a mock config found next to the machine stands in only without an engine
      const engine = await probeEngine(engineOptions(cfg.value));
      useMock = !engine.reachable;
      if (useMock)
        notes.push(`No container engine is reachable at ${engine.endpoint.label}; using the mocks of ${mock.file}.`);
    }
    if (mock && useMock) {
      const m = loadMockConfig(mock.file);
      if (!m.ok) throw new Error(m.error);
      options.mockConfig = m.value;
      if (typeof args.testCase === 'string') options.testCase = args.testCase;
      notes.push(`Mocked responses from ${mock.file}${options.testCase ? ` (test case ${options.testCase})` : ''}.`);
    } else if (typeof args.testCase === 'string')
      throw new Error(
        `'testCase' ${args.testCase} needs a mock config: set 'mockConfig' or put mock-config.json next to the machine.`,
      );
  }
  const own = embedded && template && definitionPath(template, embedded.machine);
  const sourceLines = embedded && !own ? hostLines(template!, embedded.machine) : undefined;
  return { program, source: own || program, sourceLines, analysis, options, notes };
}

/**
 * The machine of `template` the launch names and its placeholder values, resolved as `run`
 * resolves them; a placeholder nothing gives a value is a launch error naming it.
 */
function templateMachine(
  template: TemplateFile,
  id: string | undefined,
  config: Substitutions | undefined,
): { machine: EmbeddedMachine; values: Record<string, string | number | boolean> } {
  const chosen = chooseMachine(path.basename(template.file), template.machines, id, "the launch argument 'machine'");
  if ('error' in chosen) throw new Error(chosen.error);
  const machine = chosen.machine;
  const values = resolveSubstitutions(machine, undefined, config, PSEUDO_PARAMETER_STAND_INS);
  const missing = missingPlaceholders(machine, values);
  if (missing.length)
    throw new Error(
      `${machine.id} in ${path.basename(template.file)} has no value for the placeholder${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}: ` +
        'give it one in the "substitutions" of the run config (asl-workbench.run.json) or of the launch argument \'runConfig\'.',
    );
  return { machine, values };
}

/** The template's lines of the definition's offsets. */
function hostLines(t: TemplateFile, m: EmbeddedMachine): SourceLines {
  const toHostEnd = m.toHostEnd ?? m.toHost;
  return {
    start: (offset) => t.lines.positionAt(m.toHost(offset)).line,
    end: (offset) => t.lines.positionAt(toHostEnd(offset)).line,
  };
}

/**
 * `input`: a JSON value, or a string read as `run --input` reads it: the path of a JSON file,
 * else JSON text (what a client's prompt returns), else the string itself.
 */
function readInput(input: unknown, dirs: string[]): unknown {
  if (input === undefined) return {};
  if (typeof input !== 'string') return input;
  for (const dir of dirs) {
    const file = path.resolve(dir, input);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`The input file ${file} is not JSON: ${(e as Error).message}`);
    }
  }
  if (/\.json$/i.test(input)) throw new Error(`The input file ${input} does not exist.`);
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
