// Build step of scripts/build.mjs: precompiles the integration parameter validators with ajv's
// standalone code generation and serves them to esbuild as a virtual module that replaces
// asl/src/rules/integrations/compileValidators.ts in the bundles. The language server then
// compiles no schema at run time (time to first diagnostics). Nothing is written to
// disk; every build regenerates the code from schemas/, so a fresh clone needs no extra step.
import Ajv from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Schemas that are not integration payloads (whole state machines, config files): no
 * Parameters/Arguments check asks for them, and their validators would triple the bundle.
 * asl/test/validators-precompiled.test.ts checks that every catalog action's schema is
 * precompiled.
 */
export const NOT_PRECOMPILED = ['asl-jsonpath', 'asl-jsonata', 'sfn-mock-config', 'local-run-config', 'asl-test'];

/** Same options as AJV_OPTIONS in compileValidators.ts (the test compares both paths). */
const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true, validateFormats: false };

/**
 * The CommonJS source of the precompiled validators module: exports `loadValidators()` with
 * the same contract as compileValidators.ts. Root schemas are required from schemas/ instead
 * of being repeated as literals, so the bundle holds each schema once and `validate.schema`
 * is the very object asl/src/schemas returns.
 * @param {string} root repository root
 * @returns {{ code: string, ids: string[] }}
 */
export function generateValidatorsModule(root) {
  const dir = path.join(root, 'schemas');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort();
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  /** @type {Record<string, string>} export name ($id) -> schema key */
  const exportsMap = {};
  const roots = [];
  for (const f of files) {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    if (typeof schema.$id !== 'string') continue;
    ajv.addSchema(schema);
    roots.push({ file: f, schema });
    if (!NOT_PRECOMPILED.includes(f.slice(0, -'.schema.json'.length))) exportsMap[schema.$id] = schema.$id;
  }
  let code = standalone(ajv, exportsMap);
  for (const { file, schema } of roots) {
    const literal = ` = ${JSON.stringify(schema)};`;
    code = code.split(literal).join(` = require(${JSON.stringify(`./schemas/${file}`)});`);
  }
  code +=
    '\nconst { getSchema } = require("./asl/src/schemas/index.ts");\n' +
    'exports.loadValidators = function loadValidators() {\n' +
    '  return function lookup(id) {\n' +
    '    const schema = getSchema(id);\n' +
    '    const key = schema && typeof schema.$id === "string" ? schema.$id : undefined;\n' +
    '    const fn = key && Object.prototype.hasOwnProperty.call(exports, key) ? exports[key] : undefined;\n' +
    '    if (!fn) return undefined;\n' +
    '    fn.schema = schema;\n' +
    '    return fn;\n' +
    '  };\n' +
    '};\n';
  return { code, ids: Object.keys(exportsMap) };
}

/**
 * esbuild plugin: `./compileValidators` imported from validators.ts resolves to the generated
 * module (generated once per build process).
 * @param {string} root repository root
 */
export function precompiledValidatorsPlugin(root) {
  let cached;
  return {
    name: 'precompiled-validators',
    setup(build) {
      build.onResolve({ filter: /^\.\/compileValidators$/ }, (args) =>
        /[\\/]rules[\\/]integrations[\\/]validators\.ts$/.test(args.importer)
          ? { path: 'precompiled-validators.js', namespace: 'asl-validators' }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'asl-validators' }, () => {
        const dir = path.join(root, 'schemas');
        const files = fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.schema.json'))
          .map((f) => path.join(dir, f));
        // regenerated when a schema changed (--watch); otherwise once for all bundles
        const key = files.map((f) => `${f}:${fs.statSync(f).mtimeMs}`).join('|');
        if (cached?.key !== key) cached = { key, code: generateValidatorsModule(root).code };
        return { contents: cached.code, resolveDir: root, loader: 'js', watchFiles: files };
      });
    },
  };
}
