/**
 * dist/server.js: starts the language server bundle (dist/serverMain.js) through V8's code
 * cache. Compiling the 1.4 MB bundle is most of the server's own start-up CPU time; with the
 * cache V8 wrote after an earlier start, loading it costs about half as much
 * (scripts/bench/startup.mjs). The client passes a writable directory in
 * ASL_WORKBENCH_CODE_CACHE (the extension's global storage); without one, or when reading or
 * compiling with the cache fails, the bundle is simply required.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const BUNDLE = path.join(__dirname, 'serverMain.js');
/** The cache is written once the server has done its first work, so it holds those functions too. */
const WRITE_AFTER_MS = 3000;
const CACHE_DIR = process.env.ASL_WORKBENCH_CODE_CACHE;

interface Compiled {
  script: vm.Script;
  /** the cache file to (re)write; undefined when the one read was accepted */
  write?: string;
}

/** Compiles the bundle with the cached code, if there is any; undefined when that fails. */
function compile(dir: string): Compiled | undefined {
  try {
    const stat = fs.statSync(BUNDLE);
    // a new bundle or another V8 gets its own file (V8 would reject the old cache anyway)
    const key = `${process.versions.v8}-${stat.size}-${Math.round(stat.mtimeMs)}`.replace(/[^\w.-]/g, '_');
    const file = path.join(dir, `serverMain-${key}.cache`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(fs.readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData });
    return { script, write: cachedData && !script.cachedDataRejected ? undefined : file };
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, file: string, script: vm.Script): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const old of fs.readdirSync(dir))
      if (old.startsWith('serverMain-') && old.endsWith('.cache')) fs.rmSync(path.join(dir, old), { force: true });
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
  } catch {
    // no cache: the next start compiles the bundle again
  }
}

const compiled = CACHE_DIR ? compile(CACHE_DIR) : undefined;
if (!compiled || !CACHE_DIR) {
  Module.createRequire(BUNDLE)(BUNDLE);
} else {
  const run = compiled.script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} };
  run.call(mod.exports, mod.exports, Module.createRequire(BUNDLE), mod, BUNDLE, __dirname);
  const { write } = compiled;
  if (write) setTimeout(() => writeCache(CACHE_DIR, write, compiled.script), WRITE_AFTER_MS).unref();
}
