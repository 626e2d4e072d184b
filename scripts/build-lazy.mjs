// Build step of scripts/build.mjs: makes CommonJS dependencies load on first use instead of
// at start-up (language server start). An import of a listed package resolves to a
// small proxy module whose exports are getters that require the real package when first
// read, so `import { parse } from 'yaml'` costs nothing until a YAML document is parsed.
// Only for packages that are plain CommonJS objects/functions (checked at build time).
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The proxy's CommonJS source for one package: same own keys (as lazy getters, so values and
 * identities are the real ones), and a callable wrapper when the package itself is a function.
 * @param {string} root repository root
 * @param {string} name package name
 */
function proxySource(root, name) {
  const real = createRequire(path.join(root, 'package.json'))(name);
  if (real && typeof real === 'object' && real.__esModule)
    throw new Error(`build-lazy: ${name} is an ES module; the proxy only handles CommonJS packages`);
  const keys = Object.keys(real);
  const lines = [
    'let real;',
    `const load = () => (real ??= require(${JSON.stringify(name)}));`,
    typeof real === 'function'
      ? 'module.exports = function lazyProxy(...args) { return new.target ? Reflect.construct(load(), args, new.target) : load().apply(this, args); };'
      : 'module.exports = {};',
  ];
  for (const k of keys)
    lines.push(
      `Object.defineProperty(module.exports, ${JSON.stringify(k)}, { enumerable: true, get: () => load()[${JSON.stringify(k)}] });`,
    );
  return lines.join('\n');
}

/**
 * esbuild plugin: imports of `names` from the project's sources resolve to lazy proxies; the
 * proxies themselves (and the packages' own files) resolve normally.
 * @param {string} root repository root
 * @param {string[]} names package names, e.g. ['yaml', 'jsonata']
 */
export function lazyPackagesPlugin(root, names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.namespace === 'lazy-package' || /[\\/]node_modules[\\/]/.test(args.importer)
          ? undefined
          : { path: args.path, namespace: 'lazy-package' },
      );
      build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
        contents: proxySource(root, args.path),
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}
