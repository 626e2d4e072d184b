#!/usr/bin/env node
// `npm run package`: minified build, then `vsce package --no-dependencies` →
// asl-workbench-<version>.vsix at the repository root. Prints the size and the file list and
// fails when the package is over 2 MB or holds a file outside the .vscodeignore allowlist.
// Usage: node scripts/package.mjs [--out FILE] [--skip-build]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.resolve(
  args.includes('--out')
    ? args[args.indexOf('--out') + 1]
    : path.join(root, `${manifest.name}-${manifest.version}.vsix`),
);
const LIMIT = 2 * 1024 * 1024;

/** What may be inside the .vsix under extension/ (mirrors .vscodeignore). */
const ALLOWED = [
  /^dist\/(?!cli\.js$).+\.(js|css|json|wasm|svg|png)$/,
  /^schemas\//,
  /^snippets\/[^/]+\.code-snippets$/,
  /^snippets\/templates\/[^/]+\.asl\.json$/,
  /^syntaxes\/[^/]+\.json$/,
  /^language-configuration[^/]*\.json$/,
  /^media\/[^/]+\.(png|svg)$/,
  /^(README\.md|LICENSE(\.txt)?|CHANGELOG\.md|package\.json|changelog\.md|readme\.md)$/,
];

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${path.basename(cmd)} ${argv.join(' ')} exited ${r.status ?? r.signal}`);
    process.exit(1);
  }
}

/** Entry names of a zip file, from its central directory. */
export function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLen = buf.readUInt16LE(p + 28),
      extra = buf.readUInt16LE(p + 30),
      comment = buf.readUInt16LE(p + 32);
    names.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size: buf.readUInt32LE(p + 24) });
    p += 46 + nameLen + extra + comment;
  }
  return names;
}

/** Size, mtime and whether it is a minified bundle, for every dist/*.js. */
function distState() {
  const dir = path.join(root, 'dist');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const p = path.join(dir, f);
      const st = fs.statSync(p);
      const tail = fs.readFileSync(p, 'utf8').slice(-300);
      return { f, key: `${st.size}:${st.mtimeMs}`, minified: !/sourceMappingURL=/.test(tail) };
    });
}

const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
// Another build may rewrite dist/ while this one packages it (a shared working tree): package
// only a dist/ that is minified and unchanged from before to after vsce, else build again.
for (let attempt = 1; ; attempt++) {
  if (!args.includes('--skip-build')) run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--minify']);
  for (const required of [manifest.main, 'dist/server.js', 'dist/serverMain.js']) {
    if (!fs.existsSync(path.join(root, required))) {
      console.error(`package: ${required} is missing after the build`);
      process.exit(1);
    }
  }
  const before = distState();
  fs.rmSync(out, { force: true });
  // README.md links screenshots under docs/images/, which are not shipped: point relative links
  // at the repository so the extension's details page still finds them.
  const repo = String(manifest.repository?.url ?? manifest.repository ?? '').replace(/\.git$/, '');
  const linkArgs = repo ? ['--baseContentUrl', `${repo}/blob/main`, '--baseImagesUrl', `${repo}/raw/main`] : [];
  run(process.execPath, [
    vsce,
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    ...linkArgs,
    '--out',
    out,
  ]);
  const after = distState();
  const stable = JSON.stringify(before) === JSON.stringify(after);
  const unminified = after.filter((d) => !d.minified).map((d) => d.f);
  if (stable && (!unminified.length || args.includes('--skip-build'))) break;
  const why = stable ? `not minified: ${unminified.join(', ')}` : 'dist/ changed while packaging';
  if (attempt >= 3 || args.includes('--skip-build')) {
    console.error(`package: ${why} (another build running at the same time?)`);
    process.exit(1);
  }
  console.warn(`package: ${why}; building again`);
}

const entries = zipEntries(out).filter((e) => !e.name.endsWith('/'));
const payload = entries
  .filter((e) => e.name.startsWith('extension/'))
  .map((e) => ({ ...e, name: e.name.slice('extension/'.length) }));
const stray = payload.filter((e) => !ALLOWED.some((re) => re.test(e.name)));
for (const e of payload) console.log(`  ${String(e.size).padStart(9)}  ${e.name}`);
const size = fs.statSync(out).size;
console.log(
  `package: ${path.relative(root, out)} ${(size / 1024).toFixed(1)} KiB (${size} bytes, ${payload.length} files; limit ${LIMIT / 1024 / 1024} MB)`,
);
let failed = false;
if (stray.length) {
  console.error(`package: files outside the allowlist: ${stray.map((e) => e.name).join(', ')}`);
  failed = true;
}
// a bundle the build produced but .vscodeignore does not let through would be missing at run time
const shipped = new Set(payload.map((e) => e.name));
const left = fs
  .readdirSync(path.join(root, 'dist'))
  .filter((f) => f.endsWith('.js') && f !== 'cli.js' && !shipped.has(`dist/${f}`));
if (left.length) {
  console.error(`package: dist bundles missing from the .vsix (add them to .vscodeignore): ${left.join(', ')}`);
  failed = true;
}
if (size > LIMIT) {
  console.error(`package: ${size} bytes is over the 2 MB limit`);
  failed = true;
}
process.exit(failed ? 1 : 0);
