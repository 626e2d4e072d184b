/** Tiny argv parser shared by `run` and `serve`: `--flag`, `--opt value`, `--opt=value`, positionals. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string>;
  flags: Set<string>;
  errors: string[];
}

/** Parses argv; `valued` lists the options that take a value. */
export function parseArgs(argv: string[], valued: string[], flags: string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: {}, flags: new Set(), errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (valued.includes(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) out.errors.push(`--${name} needs a value`);
        else out.options[name] = v;
      } else if (flags.includes(name)) out.flags.add(name);
      else out.errors.push(`unknown option --${name}`);
    } else if (a === '-h') out.flags.add('help');
    else out.positionals.push(a);
  }
  return out;
}
