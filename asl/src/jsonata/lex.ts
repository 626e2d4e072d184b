/**
 * Lexical helpers over JSONata text for diagnostics: where variables are used or assigned and
 * which `$states` fields an expression reads. String literals and comments are skipped.
 */

/** One `$name` occurrence; offsets are relative to the scanned string. */
export interface JsonataVariable {
  /** without the `$` ("states", "x"; "" for the bare context `$`, "$" for `$$`) */
  name: string;
  offset: number;
  length: number;
  /** true when written `$name := …` (a local binding) */
  assigned: boolean;
}

const NAME_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Finds every variable reference in `s` (a `{% … %}` string or a bare body), skipping string
 * literals, backtick names and comments.
 */
export function findJsonataVariables(s: string): JsonataVariable[] {
  const out: JsonataVariable[] = [];
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < n && s[i] !== c) i += s[i] === '\\' && c !== '`' ? 2 : 1;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c !== '$') continue;
    let j = i + 1;
    if (s[j] === '$') j++;
    else while (j < n && NAME_CHAR.test(s[j])) j++;
    let k = j;
    while (k < n && (s[k] === ' ' || s[k] === '\t' || s[k] === '\n' || s[k] === '\r')) k++;
    out.push({ name: s.slice(i + 1, j), offset: i, length: j - i, assigned: s[k] === ':' && s[k + 1] === '=' });
    i = j - 1;
  }
  return out;
}

const FIELD_AFTER = /^\s*(?:\.\s*([\p{L}\p{N}_]+|`[^`]*`)|\[\s*(?:"([^"]*)"|'([^']*)')\s*\])/u;

/** The `$states` fields `s` reads (e.g. ["input", "result"]), in order of appearance. */
export function statesFieldsUsed(s: string): { field: string; offset: number; length: number }[] {
  const out: { field: string; offset: number; length: number }[] = [];
  for (const v of findJsonataVariables(s)) {
    if (v.name !== 'states' || v.assigned) continue;
    const m = FIELD_AFTER.exec(s.slice(v.offset + v.length, v.offset + v.length + 120));
    if (!m) continue;
    const field = (m[1] ?? m[2] ?? m[3] ?? '').replace(/^`|`$/g, '');
    out.push({ field, offset: v.offset, length: v.length + m[0].length });
  }
  return out;
}

/** True when `s` reads `$states.<field>` (used to flag `result`/`errorOutput` where unavailable). */
export function referencesStatesField(s: string, field: 'result' | 'errorOutput' | 'context' | 'input'): boolean {
  return statesFieldsUsed(s).some((u) => u.field === field);
}
