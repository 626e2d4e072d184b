/**
 * Glob expansion for CLI file arguments (no shell involved): `*`, `?`, `[abc]`, `{a,b}` and
 * `**` (any number of directories). Directories given without a glob expand to the state
 * machine files inside them. node_modules and dot-directories are skipped unless named.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Extensions picked up when a directory (or a bare `**`) is given. */
export const MACHINE_FILE = /\.asl\.(json|ya?ml)$/i;

const GLOB_CHARS = /[*?[\]{}]/;

/** True when the argument contains glob syntax. */
export function isGlob(arg: string): boolean {
  return GLOB_CHARS.test(arg);
}

/** Converts one glob (posix separators) to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inClass = false;
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (inClass) {
      if (c === ']') inClass = false;
      re += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '*':
        if (glob[i + 1] === '*') {
          // "**/" matches zero or more directories; a trailing "**" matches everything below
          const slash = glob[i + 2] === '/';
          re += slash ? '(?:[^/]*/)*' : '.*';
          i += slash ? 2 : 1;
        } else re += '[^/]*';
        break;
      case '?':
        re += '[^/]';
        break;
      case '[':
        inClass = true;
        re += glob[i + 1] === '!' ? (i++, '[^') : '[';
        break;
      case '{':
        braces++;
        re += '(?:';
        break;
      case '}':
        if (braces > 0) {
          braces--;
          re += ')';
        } else re += '\\}';
        break;
      case ',':
        re += braces > 0 ? '|' : ',';
        break;
      default:
        re += /[.+^$()|\\]/.test(c) ? '\\' + c : c;
    }
  }
  return new RegExp(`^${re}$`);
}

/** Walks `dir` recursively (files only), calling `visit` with paths relative to `dir` (posix). */
function walk(dir: string, visit: (rel: string) => void, rel = ''): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      walk(dir, visit, r);
    } else if (e.isFile()) visit(r);
  }
}

/**
 * Expands CLI arguments into existing file paths (deduplicated, sorted per argument); a
 * directory stands for the files under it whose names match `wanted`.
 * Returns the arguments that matched nothing in `unmatched`.
 */
export function expandArgs(
  args: string[],
  cwd = process.cwd(),
  wanted: RegExp = MACHINE_FILE,
): { files: string[]; unmatched: string[] } {
  const files: string[] = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  const add = (f: string): void => {
    const key = path.resolve(cwd, f);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(f);
    }
  };
  for (const arg of args) {
    const posix = arg.split(path.sep).join('/');
    if (!isGlob(posix)) {
      const abs = path.resolve(cwd, arg);
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(abs);
      } catch {
        stat = undefined;
      }
      if (stat?.isDirectory()) {
        const found: string[] = [];
        walk(abs, (rel) => wanted.test(rel) && found.push(path.join(arg, rel)));
        found.sort().forEach(add);
        if (!found.length) unmatched.push(arg);
      } else if (stat?.isFile()) add(arg);
      else unmatched.push(arg);
      continue;
    }
    // split into the literal base directory and the pattern below it
    const parts = posix.split('/');
    const firstGlob = parts.findIndex((p) => isGlob(p));
    const base = parts.slice(0, firstGlob).join('/') || (posix.startsWith('/') ? '/' : '.');
    const pattern = parts.slice(firstGlob).join('/');
    const re = globToRegExp(pattern);
    const baseAbs = path.resolve(cwd, base);
    const found: string[] = [];
    walk(baseAbs, (rel) => {
      if (re.test(rel))
        found.push(base === '.' && !posix.startsWith('./main') ? rel : `${base.replace(/\/$/, '')}/${rel}`);
    });
    found.sort().forEach(add);
    if (!found.length) unmatched.push(arg);
  }
  return { files, unmatched };
}
