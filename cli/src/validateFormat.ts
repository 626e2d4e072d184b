/**
 * Output formats of `asl-workbench validate`: text (`file:line:col severity CODE message`,
 * 1-based), JSON (array of {file, range, severity, code, message}; range is LSP-style,
 * 0-based) and SARIF 2.1.0 for GitHub code scanning.
 */
import path from 'node:path';
import { ruleCatalog, ruleHref } from '../../asl/src/rules';
import type { AslDiagnostic } from '../../asl/src/rules/types';
import type { Range } from '../../asl/src/types';

/** One diagnostic of one file, with its range resolved. */
export interface FileDiagnostic {
  file: string;
  range: Range;
  diagnostic: AslDiagnostic;
}

/** Text lines, 1-based line and column. */
export function formatText(list: FileDiagnostic[]): string {
  return list
    .map(
      ({ file, range, diagnostic: d }) =>
        `${file}:${range.start.line + 1}:${range.start.character + 1} ${d.severity} ${d.code} ${d.message}`,
    )
    .join('\n');
}

/** JSON array (stable key order). */
export function formatJson(list: FileDiagnostic[]): string {
  return JSON.stringify(
    list.map(({ file, range, diagnostic: d }) => ({
      file,
      range,
      severity: d.severity,
      code: d.code,
      message: d.message,
    })),
    null,
    2,
  );
}

const LEVEL: Record<string, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

/** Artifact URI relative to `cwd`, posix separators, percent-encoded (SARIF 2.1.0, section 3.10). */
function artifactUri(file: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
  return rel
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/** SARIF 2.1.0 log accepted by GitHub code scanning (rules with helpUri, 1-based regions). */
export function formatSarif(list: FileDiagnostic[], version: string, cwd = process.cwd()): string {
  const catalog = ruleCatalog();
  const used = [...new Set(list.map((d) => d.diagnostic.code))].sort();
  const index = new Map(used.map((c, i) => [c, i]));
  const rules = used.map((id) => {
    const info = catalog.get(id);
    return {
      id,
      name: id,
      shortDescription: { text: info?.title ?? id },
      fullDescription: { text: info?.title ?? id },
      helpUri: ruleHref(id),
      help: { text: `See ${ruleHref(id)}`, markdown: `See [${id}](${ruleHref(id)}).` },
      defaultConfiguration: { level: LEVEL[info?.severity ?? 'error'] },
      properties: { tags: ['asl', 'step-functions'] },
    };
  });
  const results = list.map(({ file, range, diagnostic: d }) => {
    const startLine = range.start.line + 1;
    const startColumn = range.start.character + 1;
    let endLine = range.end.line + 1;
    let endColumn = range.end.character + 1;
    if (endLine < startLine || (endLine === startLine && endColumn <= startColumn)) {
      endLine = startLine;
      endColumn = startColumn + 1;
    }
    return {
      ruleId: d.code,
      ruleIndex: index.get(d.code),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(file, cwd), uriBaseId: '%SRCROOT%' },
            region: { startLine, startColumn, endLine, endColumn },
          },
        },
      ],
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'asl-workbench',
            informationUri: 'https://asl-workbench.dev/',
            version,
            semanticVersion: version,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
