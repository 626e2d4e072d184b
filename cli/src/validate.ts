/**
 * `asl-workbench validate <files or globs> [--format text|json|sarif] [--machine-type
 * STANDARD|EXPRESS]` — the same parse + model + rules as the language server.
 * Exit 0: no errors (warnings/hints allowed); 1: errors found; 2: usage or I/O error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateModel } from '../../asl/src/rules';
import type { MachineType } from '../../asl/src/rules/types';
import { substitutionsFor } from '../../asl/src/runConfig';
import { parseArgs } from './args';
import { expandArgs } from './glob';
import { analyze } from '../../asl/src/analyze';
import { formatOf } from '../../asl/src/parse/format';
import { analyzeMachine, resolveSubstitutions } from '../../asl/src/templates';
import { definitionPath, templateOf } from '../../runner/src/templateFile';
import { readText } from './machineFile';
import { pickMachine, readSubstitutionsFile } from './templateFile';
import { formatJson, formatSarif, formatText, type FileDiagnostic } from './validateFormat';

const USAGE = `usage: asl-workbench validate <files, directories or globs…> [options]

Validates Step Functions state machines (.asl.json, .asl.yaml, .asl.yml, .json), and those
held in CloudFormation, SAM and CDK templates (.yaml, .yml, .json, .template.json) and
Terraform files (.tf); diagnostics point into the template's own lines.
Globs are expanded by the command itself: quote them ('machines/**/*.asl.json').

options:
  --format text|json|sarif        output format (default text)
                                  text:  file:line:col severity CODE message (1-based)
                                  json:  [{file, range, severity, code, message}] (range 0-based, LSP style)
                                  sarif: SARIF 2.1.0 for GitHub code scanning
  --machine-type STANDARD|EXPRESS state machine type (default STANDARD)
  --config <file>                 run config whose "substitutions" give the values of
                                  \${Name} placeholders (default: asl-workbench.run.json
                                  next to each machine, else at the workspace root)
  --machine <logical id>          in a template: only this state machine (default: all)
  --substitutions <file.json>     values of \${Name} placeholders ({"Name": "value"}); a
                                  template's own literal values come first, the run
                                  config's last
  --output <file>                 write the report to a file instead of stdout
  -h, --help                      show this help

exit status: 0 no errors, 1 errors found, 2 usage or I/O error`;

/** Entry point of the subcommand; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['format', 'machine-type', 'output', 'config', 'machine', 'substitutions'], ['help']);
  if (args.flags.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const format = (args.options.format ?? 'text').toLowerCase();
  const mt = (args.options['machine-type'] ?? 'STANDARD').toUpperCase();
  const problems = [...args.errors];
  if (!['text', 'json', 'sarif'].includes(format))
    problems.push(`unknown --format '${args.options.format}' (text, json or sarif)`);
  if (mt !== 'STANDARD' && mt !== 'EXPRESS')
    problems.push(`unknown --machine-type '${args.options['machine-type']}' (STANDARD or EXPRESS)`);
  if (!args.positionals.length) problems.push('no files given');
  if (problems.length) {
    process.stderr.write(problems.map((p) => `asl-workbench validate: ${p}`).join('\n') + `\n\n${USAGE}\n`);
    return 2;
  }
  const { files, unmatched } = expandArgs(args.positionals);
  let ioError = false;
  for (const u of unmatched) {
    process.stderr.write(`asl-workbench validate: no such file or no matching files: ${u}\n`);
    ioError = true;
  }
  const given = args.options.substitutions ? readSubstitutionsFile('validate', args.options.substitutions) : undefined;
  if (args.options.substitutions && !given) return 2;
  const all: FileDiagnostic[] = [];
  for (const file of files) {
    const text = readText('validate', file, { stripBom: true }); // editors may add a BOM
    if (text === undefined) {
      ioError = true;
      continue;
    }
    const subs = substitutionsFor(file, { fs, path }, args.options.config);
    const sources = [args.options.substitutions, subs && path.relative(process.cwd(), subs.file)].filter(Boolean);
    const template = templateOf(file, text);
    if (template) {
      // a template without state machines has nothing to check; --machine must name one
      let chosen = template.machines;
      if (args.options.machine !== undefined) {
        const m = pickMachine('validate', template, args.options.machine);
        if (!m) {
          ioError = true;
          continue;
        }
        chosen = [m];
      }
      for (const m of chosen) {
        const options = {
          machineType: mt as MachineType,
          substitutions: resolveSubstitutions(m, given, subs?.values),
          substitutionsSource: ['the template', ...sources].join(', '),
        };
        const found = analyzeMachine(m, options);
        const own = definitionPath(template, m);
        const inTemplate = own && found.analysis ? found.hostDiagnostics : found.diagnostics;
        for (const d of inTemplate)
          all.push({ file, range: template.lines.rangeOf(d.offset, d.length), diagnostic: d });
        // a definition in its own file: its diagnostics point there
        if (own && found.analysis)
          for (const d of found.definitionDiagnostics)
            all.push({ file: own, range: found.analysis.doc.rangeOf(d.offset, d.length), diagnostic: d });
      }
      continue;
    }
    const { doc, model } = analyze(text, formatOf(file));
    const options = {
      machineType: mt as MachineType,
      substitutions: given ? { ...subs?.values, ...given } : subs?.values,
      substitutionsSource: sources.join(', ') || undefined,
    };
    for (const d of validateModel(model, options)) {
      all.push({ file, range: doc.rangeOf(d.offset, d.length), diagnostic: d });
    }
  }
  const version = process.env.ASL_WORKBENCH_VERSION ?? '0.1.0';
  const out = format === 'json' ? formatJson(all) : format === 'sarif' ? formatSarif(all, version) : formatText(all);
  const errors = all.filter((d) => d.diagnostic.severity === 'error').length;
  const summary = `${files.length} file${files.length === 1 ? '' : 's'} checked, ${errors} error${errors === 1 ? '' : 's'}, ${all.length - errors} other diagnostic${all.length - errors === 1 ? '' : 's'}`;
  try {
    if (args.options.output) fs.writeFileSync(args.options.output, out + '\n');
    else if (out) process.stdout.write(out + '\n');
  } catch (err) {
    process.stderr.write(`asl-workbench validate: cannot write ${args.options.output}: ${(err as Error).message}\n`);
    return 2;
  }
  process.stderr.write(summary + '\n');
  if (ioError) return 2;
  return errors ? 1 : 0;
}
