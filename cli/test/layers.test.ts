/**
 * The layer rules of eslint.config.mjs (docs/architecture.md) reject an import that crosses a
 * layer the wrong way and accept the ones the layers are made of. Each case lints one line as
 * if it were a file of that layer, through the repository's own config.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The layer messages of the import rules for `code` linted as `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code + '\n', { filePath: path.join(root, file) });
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

/** [file, import line, the message it must fail with] */
const REJECTED: [string, string, string][] = [
  ['asl/src/probe.ts', "import fs from 'node:fs';", 'no Node.js built-ins here'],
  ['asl/src/probe.ts', "import { spawn } from 'child_process';", 'no Node.js built-ins here'],
  [
    'asl/src/probe.ts',
    "import { createConnection } from 'vscode-languageserver/node';",
    'no VS Code API and no LSP library here',
  ],
  ['asl/src/probe.ts', "import { analyze } from '../../server/src/documents';", 'server/ is the language server'],
  ['asl/src/rules/probe.ts', "import { runExecution } from '../../../runner/src/api';", 'runner/ executes machines'],
  ['asl/src/probe.ts', "import { activate } from '../../client/src/extension';", 'client/ is the VS Code extension'],
  ['asl/test/probe.test.ts', "import { main } from '../../cli/src/main';", 'cli/ is the composition root'],
  ['server/src/probe.ts', "import { findRunConfig } from '../../runner/src/config';", 'runner/ executes machines'],
  ['server/src/probe.ts', "import * as vscode from 'vscode';", 'not the VS Code API'],
  ['server/src/probe.ts', "import { main } from '../../cli/src/main';", 'cli/ is the composition root'],
  ['server/test/probe.test.ts', "import { main } from '../../cli/src/validate';", 'cli/ is the composition root'],
  ['server/src/features/hover.ts', "import { payloadContext } from './completion/parameters';", 'features/shared/'],
  ['server/src/features/completion/probe.ts', "import { fixesFor } from '../codeActions/fixes';", 'features/shared/'],
  [
    'runner/src/probe.ts',
    "import { DocumentStore } from '../../server/src/documents';",
    'server/ is the language server',
  ],
  [
    'runner/src/cli/probe.ts',
    "const m = await import('../../../server/src/documents');",
    'server/ is the language server',
  ],
  ['runner/src/probe.ts', "import { main } from '../../cli/src/main';", 'cli/ is the composition root'],
  [
    'runner/test/probe.test.ts',
    "import { DocumentStore } from '../../server/src/documents';",
    'server/ is the language server',
  ],
  ['cli/src/probe.ts', "import { DocumentStore } from '../../server/src/documents';", 'server/ is the language server'],
  ['cli/src/probe.ts', "import { activate } from '../../client/src/extension';", 'client/ is the VS Code extension'],
  [
    'client/src/probe.ts',
    "import { DocumentStore } from '../../server/src/documents';",
    'through server/src/protocol only',
  ],
  [
    'client/src/run/probe.ts',
    "import { runExecution } from '../../../runner/src/api';",
    'runner/src/config, the debug protocol, the Step Functions client (runner/src/aws/) and types only',
  ],
  ['client/src/probe.ts', "import { main } from '../../cli/src/main';", 'cli/ is the composition root'],
  ['client/src/graph/webview/probe.ts', "import fs from 'node:fs';", 'no Node.js built-ins here'],
  ['client/src/graph/webview/probe.ts', "import * as vscode from 'vscode';", 'no VS Code API'],
  [
    'client/src/graph/webview/probe.ts',
    "import { GraphPanel } from '../panel';",
    'the webview imports ../messages and nothing else',
  ],
  [
    'client/src/graph/webview/probe.ts',
    "import { activate } from '../../extension';",
    'the webview imports ../messages and nothing else',
  ],
  [
    'client/src/graph/webview/probe.ts',
    "import { StateGraphRequest } from '../../../../server/src/protocol';",
    'the webview imports asl/ and nothing else',
  ],
];

/** [file, import line] that the layers allow */
const ACCEPTED: [string, string][] = [
  ['asl/src/probe.ts', "import { parse } from 'yaml';"],
  ['asl/test/probe.test.ts', "import fs from 'node:fs';"],
  ['server/src/probe.ts', "import { buildModel } from '../../asl/src/model';"],
  ['server/src/probe.ts', "import { createConnection } from 'vscode-languageserver/node';"],
  ['server/src/features/hover.ts', "import { payloadContext } from './shared/payload';"],
  ['server/src/features/codeActions.ts', "import { fixesFor } from './codeActions/fixes';"],
  ['server/src/features/completion/probe.ts', "import { jsonStyle } from '../shared/jsonEdits';"],
  ['runner/src/probe.ts', "import { buildModel } from '../../asl/src/model';"],
  ['cli/src/probe.ts', "import { runExecution } from '../../runner/src/api';"],
  ['cli/src/probe.ts', "import { buildModel } from '../../asl/src/model';"],
  ['client/src/probe.ts', "import { StateGraphRequest } from '../../server/src/protocol';"],
  ['client/src/run/probe.ts', "import { findRunConfig } from '../../../runner/src/config';"],
  ['client/src/aws/probe.ts', "import { startExecution } from '../../../runner/src/aws/client';"],
  ['client/src/run/probe.ts', "import type { HistoryEvent } from '../../../runner/src/history';"],
  ['client/src/graph/webview/probe.ts', "import type { ToWebview } from '../messages';"],
  ['client/src/graph/webview/probe.ts', "import { renderSvg } from '../../../../asl/src/graph/svg';"],
];

describe('layer rules of the lint', () => {
  for (const [file, code, message] of REJECTED) {
    it(`rejects in ${file}: ${code}`, async () => {
      const errors = await layerErrors(file, code);
      assert.equal(errors.length, 1, `expected one layer error, got ${JSON.stringify(errors)}`);
      assert.match(errors[0], new RegExp(message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    });
  }
  for (const [file, code] of ACCEPTED) {
    it(`accepts in ${file}: ${code}`, async () => {
      assert.deepEqual(await layerErrors(file, code), []);
    });
  }
});
