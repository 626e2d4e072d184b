/**
 * `asl-workbench graph <file> --format svg|json|dot|mermaid [-o out] [--theme light|dark]` —
 * exports the state graph the editor's preview draws: the same model (asl/src/graph), and for
 * SVG the same elkjs layout (run in-process here) and the same renderer as the webview.
 * Exit 0: written; 1: the file is not a usable state machine; 2: usage or I/O error.
 */
import { buildGraph } from '../../asl/src/graph/build';
import { toDot, toMermaid } from '../../asl/src/graph/export';
import { createInProcessElk } from '../../asl/src/graph/elkInProcess';
import { layoutGraph } from '../../asl/src/graph/layout';
import { renderSvg } from '../../asl/src/graph/svg';
import { LIGHT_PALETTE, VSCODE_PALETTE, type GraphPalette } from '../../asl/src/graph/theme';
import type { StateGraph } from '../../asl/src/graph/types';
import { validateModel } from '../../asl/src/rules';
import { parseArgs } from './args';
import { readMachineFile, writeOutput } from './machineFile';

const FORMATS = ['svg', 'json', 'dot', 'mermaid'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: asl-workbench graph <file> [options]

Exports the state graph of a state machine (.asl.json, .asl.yaml, .asl.yml, .json), or of
one held in a CloudFormation, SAM or CDK template or a Terraform file.

options:
  --format <f>        svg (default), json, dot or mermaid
  --machine <id>      the template's state machine (its logical id or Terraform
                      address), when it holds several
  -o, --output <file> write to a file instead of stdout
  --theme <t>         svg colours: light (default) or dark
  -h, --help          show this help

exit status: 0 written, 1 not a usable state machine, 2 usage or I/O error`;

/** Dark colours for `--theme dark`: the webview fallbacks, without the CSS variables. */
function darkPalette(): GraphPalette {
  const strip = (v: string): string => /,\s*(#[0-9a-fA-F]+)\)$/.exec(v)?.[1] ?? v;
  const status = Object.fromEntries(
    Object.entries(VSCODE_PALETTE.status).map(([k, v]) => [k, strip(v)]),
  ) as GraphPalette['status'];
  const top = Object.fromEntries(
    Object.entries(VSCODE_PALETTE)
      .filter(([k]) => k !== 'status')
      .map(([k, v]) => [k, strip(v as string)]),
  );
  return { ...(top as Omit<GraphPalette, 'status'>), fontFamily: LIGHT_PALETTE.fontFamily, status };
}

/** The graph in one export format. */
export async function exportGraph(
  graph: StateGraph,
  format: Format,
  theme: 'light' | 'dark' = 'light',
): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(graph, null, 2) + '\n';
    case 'dot':
      return toDot(graph);
    case 'mermaid':
      return toMermaid(graph);
    case 'svg': {
      const layout = await layoutGraph(graph, createInProcessElk());
      return renderSvg(graph, layout, { palette: theme === 'dark' ? darkPalette() : LIGHT_PALETTE }) + '\n';
    }
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

/** Entry point of the subcommand; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const normalized = argv.map((a) => (a === '-o' ? '--output' : a));
  const args = parseArgs(normalized, ['format', 'output', 'theme', 'machine'], ['help']);
  if (args.flags.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const problems = [...args.errors];
  if (args.positionals.length !== 1) problems.push(args.positionals.length ? 'give exactly one file' : 'no file given');
  const format = (args.options.format ?? 'svg') as Format;
  if (!FORMATS.includes(format)) problems.push(`unknown --format '${args.options.format}' (svg, json, dot or mermaid)`);
  const theme = (args.options.theme ?? 'light') as 'light' | 'dark';
  if (theme !== 'light' && theme !== 'dark') problems.push(`unknown --theme '${theme}' (light or dark)`);
  if (problems.length) {
    process.stderr.write(problems.map((p) => `asl-workbench graph: ${p}`).join('\n') + `\n\n${USAGE}\n`);
    return 2;
  }
  const file = args.positionals[0];
  const machine = readMachineFile('graph', file, { machine: args.options.machine });
  if (!machine) return 2;
  const { model } = machine;
  const graph = buildGraph(model, model.root ? validateModel(model) : []);
  if (graph.problem) {
    process.stderr.write(`asl-workbench graph: ${file}: ${graph.problem}\n`);
    return 1;
  }
  const out = await exportGraph(graph, format, theme);
  return writeOutput('graph', args.options.output, out) ? 0 : 2;
}
