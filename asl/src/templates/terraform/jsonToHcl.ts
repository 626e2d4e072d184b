/**
 * JSON text written back as HCL, for edits made in the virtual ASL text: bare keys where HCL
 * allows them, `=` for `:`, HCL string escapes, `$${` for a literal `${`, and a placeholder
 * written back as the Terraform expression it stands for.
 */
import type { Reference } from './hclToJson';

/** Names a bare HCL key cannot have: they would be read as keywords. */
export const RESERVED = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);
/** A name HCL reads as a bare key. */
export const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Escapes of an HCL quoted string (HCL has no `\b` or `\f`: other controls are `\uNNNN`). */
const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };

/** Host text for `${…}` in a string written back: the original expression for a known placeholder, else `$${`. */
export function restoreTemplate(value: string, refs: Map<string, Reference | undefined>): string | undefined {
  let out = '';
  let i = 0;
  for (;;) {
    const at = value.indexOf('${', i);
    const pct = value.indexOf('%{', i);
    const next = at < 0 ? pct : pct < 0 ? at : Math.min(at, pct);
    if (next < 0) return out + value.slice(i);
    out += value.slice(i, next);
    if (next === pct) {
      out += '%%{';
      i = next + 2;
      continue;
    }
    const close = value.indexOf('}', next);
    const name = close < 0 ? undefined : value.slice(next + 2, close);
    if (name !== undefined && refs.has(name)) {
      const r = refs.get(name);
      if (!r) return undefined;
      out += '${' + r.source + '}';
      i = close + 1;
      continue;
    }
    out += '$${';
    i = next + 2;
  }
}

/** `value` as the inside of an HCL quoted string. */
export function hclQuoted(value: string, refs: Map<string, Reference | undefined>): string | undefined {
  const restored = restoreTemplate(value, refs);
  if (restored === undefined) return undefined;
  let out = '';
  // escapes apply to the literal text only: a restored `${expr}` keeps its own quoting
  let i = 0;
  while (i < restored.length) {
    const c = restored[i];
    if (c === '$' && restored[i + 1] === '{') {
      const close = matchingBrace(restored, i + 1);
      out += restored.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    if (c === '$' && restored.startsWith('$${', i)) {
      out += '$${';
      i += 3;
      continue;
    }
    const code = c.charCodeAt(0);
    out += CONTROL_ESCAPES[c] ?? (code < 0x20 ? '\\u' + code.toString(16).padStart(4, '0') : c);
    i++;
  }
  return out;
}

/** Offset of the `}` that closes the `{` at `open` (over nested braces and strings). */
function matchingBrace(s: string, open: number): number {
  let depth = 0;
  let inStr = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return s.length - 1;
}

/** JSON text (a value, members, or a fragment of either) written as HCL. */
export function jsonToHcl(text: string, refs: Map<string, Reference | undefined>): string | undefined {
  let out = '';
  const stack: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return undefined;
      let value: string;
      try {
        value = JSON.parse(text.slice(i, j + 1)) as string;
      } catch {
        return undefined;
      }
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k])) k++;
      const isKey = text[k] === ':';
      const whole = /^\$\{([^${}]+)\}$/.exec(value);
      if (isKey && IDENT.test(value) && !RESERVED.has(value)) out += value;
      else if (!isKey && whole && refs.has(whole[1])) {
        const r = refs.get(whole[1]);
        if (!r) return undefined;
        out += r.source;
      } else {
        const quoted = hclQuoted(value, refs);
        if (quoted === undefined) return undefined;
        out += '"' + quoted + '"';
      }
      i = j + 1;
      continue;
    }
    if (c === ':') {
      out += /\s$/.test(out) || !out ? '=' : ' =';
      i++;
      continue;
    }
    if (c === ',' && stack[stack.length - 1] !== '[') {
      // HCL separates object items by new lines; a comma before one is dropped
      let k = i + 1;
      while (text[k] === ' ' || text[k] === '\t') k++;
      if (text[k] === '\n' || text[k] === '\r') {
        i++;
        continue;
      }
    }
    if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') stack.pop();
    out += c;
    i++;
  }
  return out;
}
