// ESLint flat config: typescript-eslint recommended everywhere, and the layers of
// docs/architecture.md as import rules, so an import that crosses a layer the wrong way fails lint.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import tseslint from 'typescript-eslint';

// A relative import into another top-level folder: `../../server/src/x` goes into `server/`.
const into = (folder, rest = '') => `^(\\.\\./)+${folder}/${rest}`;
const NODE_BUILTINS = {
  regex: `^(node:.*|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/.*)?)$`,
  message: 'no Node.js built-ins here',
};
const VSCODE = { regex: '^vscode(-.*)?(/.*)?$', message: 'no VS Code API and no LSP library here' };
const LAYER = {
  server: {
    regex: into('server'),
    message: 'server/ is the language server: only client/ reaches it, through server/src/protocol',
  },
  runner: { regex: into('runner'), message: 'runner/ executes machines: only cli/ and client/ stand on it' },
  client: { regex: into('client'), message: 'client/ is the VS Code extension: nothing imports it' },
  cli: { regex: into('cli'), message: 'cli/ is the composition root of the command line: nothing imports it' },
};
const SERVER = [
  {
    regex: '^vscode(-languageclient.*)?$',
    message: 'the language server uses vscode-languageserver, not the VS Code API',
  },
  LAYER.runner,
  LAYER.client,
  LAYER.cli,
];
const FEATURES_SHARE = "a server feature imports another feature's helpers from features/shared/, not from its files";
// Tests may share another layer's test helpers and fixtures, never import its source.
const sourceOf = (layer) => ({ ...layer, regex: layer.regex + 'src/' });
const restrict = (files, patterns) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns }],
    // no-restricted-imports does not see import(); `/` is written \x2F inside an esquery regex
    'no-restricted-syntax': [
      'error',
      ...patterns.map((p) => ({
        selector: `ImportExpression[source.value=/${p.regex.replaceAll('/', '\\x2F')}/]`,
        message: p.message,
      })),
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.e2e/**', '.bench/**', 'artifacts/**', '**/fixtures/**', '*.vsix'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // asl/ is the pure model: the language server, the runner and the webview all run it.
  restrict(['asl/src/**/*.ts'], [NODE_BUILTINS, VSCODE, LAYER.server, LAYER.runner, LAYER.client, LAYER.cli]),
  restrict(['asl/test/**/*.ts'], [VSCODE, ...[LAYER.server, LAYER.runner, LAYER.client, LAYER.cli].map(sourceOf)]),
  // server/ adapts asl/ to the LSP; the VS Code API is the client's.
  restrict(['server/src/**/*.ts'], SERVER),
  // One provider per feature: features share helpers through features/shared/, and a feature's
  // own folder is its own (codeActions.ts and codeActions/).
  restrict(
    ['server/src/features/*/**/*.ts'],
    [...SERVER, { regex: '^\\.\\./(?!shared/|index$|\\.\\./)', message: FEATURES_SHARE }],
  ),
  ...fs
    .readdirSync(path.join(import.meta.dirname, 'server/src/features'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) =>
      restrict(
        [`server/src/features/${f}`],
        [...SERVER, { regex: `^\\./(?!shared/|index$|${f.slice(0, -3)}(/|$))`, message: FEATURES_SHARE }],
      ),
    ),
  restrict(['server/test/**/*.ts'], [LAYER.runner, LAYER.client, LAYER.cli].map(sourceOf)),
  // runner/ executes on the asl/ model; it knows nothing of the editor or the command line.
  restrict(['runner/src/**/*.ts'], [VSCODE, LAYER.server, LAYER.client, LAYER.cli]),
  restrict(['runner/test/**/*.ts'], [VSCODE, ...[LAYER.server, LAYER.client, LAYER.cli].map(sourceOf)]),
  // cli/ composes asl/ and runner/ into commands.
  restrict(['cli/src/**/*.ts'], [VSCODE, LAYER.server, LAYER.client]),
  restrict(['cli/test/**/*.ts'], [VSCODE, ...[LAYER.server, LAYER.client].map(sourceOf)]),
  // client/ talks to the server through its protocol file and finds the run config the runner
  // reads; the runner itself runs in a worker process, so of the rest only types reach the client.
  restrict(
    ['client/src/**/*.ts'],
    [
      {
        regex: into('server', '(?!src/protocol$)'),
        message: 'client/ reaches the language server through server/src/protocol only',
      },
      {
        regex: into('runner', '(?!src/config$|src/debug/protocol$|src/aws/)'),
        message:
          'client/ runs the runner in a worker or the debug adapter: it imports runner/src/config, the debug protocol, the Step Functions client (runner/src/aws/) and types only',
        allowTypeImports: true,
      },
      LAYER.cli,
    ],
  ),
  restrict(
    ['client/test/**/*.ts'],
    [{ ...LAYER.server, regex: into('server', 'src/(?!protocol$)') }, sourceOf(LAYER.cli)],
  ),
  // The webview bundle runs in a browser: no Node.js and no VS Code API; of the extension it
  // shares only the message types with its host (client/src/graph/messages.ts).
  restrict(
    ['client/src/graph/webview/**/*.ts'],
    [
      NODE_BUILTINS,
      VSCODE,
      {
        regex: '^(\\.\\./){1,3}(?!messages$|\\.\\./)',
        message: 'the webview imports ../messages and nothing else of the extension',
      },
      { regex: '^(\\.\\./){4,}(?!asl/)', message: 'the webview imports asl/ and nothing else outside the extension' },
    ],
  ),
  restrict(
    ['client/src/graph/messages.ts'],
    [
      NODE_BUILTINS,
      VSCODE,
      { regex: '^(\\.\\./){1,2}(?!\\.\\./)', message: 'the webview messages import asl/ only' },
      { regex: '^(\\.\\./){3,}(?!asl/)', message: 'the webview messages import asl/ only' },
    ],
  ),
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
