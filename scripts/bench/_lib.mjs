// Shared boilerplate of the benchmark scripts (a library: bench.mjs skips files starting with '_').
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The benchmark's command-line arguments. */
export const args = process.argv.slice(2);

/** Whether `--name` was given. */
export const flag = (name) => args.includes(name);

/** The value after `--name`, or undefined when the option is absent. */
export const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/**
 * Re-runs the calling script (its `import.meta.url`) under the tsx loader once, so it can import
 * TypeScript sources, and exits with the child's status. Returns only inside the tsx run.
 */
export function reexecUnderTsx(scriptUrl) {
  if (process.env.ASL_BENCH_TSX) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(scriptUrl), ...args], {
    stdio: 'inherit',
    cwd: ROOT,
    env: { ...process.env, ASL_BENCH_TSX: '1' },
  });
  process.exit(r.status ?? 1);
}

/** Imports a module by its path relative to the repository root. */
export const importFromRoot = (p) => import(pathToFileURL(path.join(ROOT, p)).href);

/** The median of numbers (the mean of the two middle ones for an even count); NaN when empty. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
