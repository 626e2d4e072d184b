/**
 * JSON / YAML text emitters for plain data ("New State Machine" offers templates in YAML;
 * quick fixes and completions write values into YAML documents) and, through the `scalar`
 * hook, for snippet bodies with placeholders (snippets/src/generate.ts). `needsQuotes` is the
 * one rule for writing a YAML string plain or quoted. No dependency, so every bundle can take it.
 */

import type { AstNode, ParsedDocument } from '../types';

/** A value the emitters understand: JSON data plus opaque scalars rendered by the hook. */
export type Emittable = string | number | boolean | null | Emittable[] | { [key: string]: Emittable } | OpaqueScalar;

/** A scalar rendered by the caller (a snippet placeholder, for example). */
export interface OpaqueScalar {
  readonly opaque: true;
}

/** Renders an opaque scalar: `json` / `yaml` give its text in that language. */
export interface ScalarHook {
  json(value: OpaqueScalar): string;
  yaml(value: OpaqueScalar): string;
  /** Escapes literal text (snippet syntax needs `$`, `}` and `\` escaped). */
  escape?(text: string): string;
}

const isOpaque = (v: unknown): v is OpaqueScalar =>
  typeof v === 'object' && v !== null && (v as { opaque?: unknown }).opaque === true;

/** Emits `value` as JSON with two-space indentation, one line per array item / property. */
export function emitJson(value: Emittable, hook?: ScalarHook, indent = ''): string {
  const esc = hook?.escape ?? ((s: string) => s);
  if (isOpaque(value)) return hook ? hook.json(value) : 'null';
  if (value === null || typeof value !== 'object') return esc(JSON.stringify(value));
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((v) => inner + emitJson(v, hook, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (!keys.length) return '{}';
  const props = keys.map((k) => `${inner}${esc(JSON.stringify(k))}: ${emitJson(value[k], hook, inner)}`);
  return `{\n${props.join(',\n')}\n${indent}}`;
}

/** Emits `value` as block-style YAML (a mapping or sequence at the top level), no trailing newline. */
export function emitYaml(value: Emittable, hook?: ScalarHook): string {
  return yamlLines(value, hook, '').join('\n');
}

function yamlLines(value: Emittable, hook: ScalarHook | undefined, indent: string): string[] {
  if (Array.isArray(value)) {
    if (!value.length) return [indent + '[]'];
    return value.flatMap((item) => {
      if (isContainer(item)) {
        const sub = yamlLines(item, hook, indent + '  ');
        return [`${indent}- ${sub[0].slice(indent.length + 2)}`, ...sub.slice(1)];
      }
      return [`${indent}- ${yamlScalar(item, hook)}`];
    });
  }
  if (isContainer(value)) {
    const keys = Object.keys(value);
    if (!keys.length) return [indent + '{}'];
    return keys.flatMap((k) => {
      const v = value[k];
      const key = `${indent}${yamlKey(k, hook)}:`;
      if (isContainer(v)) return [key, ...yamlLines(v, hook, indent + '  ')];
      return [`${key} ${yamlScalar(v, hook)}`];
    });
  }
  return [indent + yamlScalar(value, hook)];
}

function isContainer(v: Emittable): v is Emittable[] | { [key: string]: Emittable } {
  if (v === null || typeof v !== 'object' || isOpaque(v)) return false;
  return Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0;
}

function yamlKey(k: string, hook?: ScalarHook): string {
  const esc = hook?.escape ?? ((s: string) => s);
  return esc(yamlString(k));
}

function yamlScalar(v: Emittable, hook?: ScalarHook): string {
  const esc = hook?.escape ?? ((s: string) => s);
  if (isOpaque(v)) return hook ? hook.yaml(v) : 'null';
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  if (typeof v === 'string') return esc(yamlString(v));
  return String(v);
}

/** Where a YAML scalar is written: a block key or value, or inside a flow `{…}` / `[…]`. */
export type YamlContext = 'block' | 'flow';

// Plain scalars that YAML 1.1 readers (PyYAML, the `yaml` package in 1.1 mode, older tools)
// or YAML 1.2 ones resolve to something other than the string: booleans (1.1 also `y`, `n`,
// `yes`, `no`, `on`, `off`), null, 1.1's value key `=` and merge key `<<`, numbers in either
// version's forms (1.1 reads `0755` as octal, `1_000` as 1000, `1:30` as 90, `.` and `e5` as
// floats, and its spec's float pattern takes `1.2.3`), infinities and NaN, and 1.1 timestamps.
// Case is ignored: quoting `YeS` costs nothing and is simpler than each version's case rules.
const OTHER_TYPE = /^(?:y|n|yes|no|true|false|on|off|null|~|=|<<)$/i;
const NUMBER_LIKE =
  /^[-+]?(?:0b[01_]+|0o[0-7]+|0x[0-9a-f_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_.]*)?(?:e[-+]?[0-9]+)?|(?:[0-9][0-9_]*)?\.[0-9_.]*(?:e[-+]?[0-9]+)?|(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?e[-+]?[0-9]+|\.(?:inf|nan))$/i;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])/;
// C0/C1 controls, DEL, line and paragraph separators, BOM, non-characters, lone surrogates:
// only a double-quoted scalar can hold them (escaped)
const UNPRINTABLE =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when a string cannot be written as a plain YAML scalar and read back as the same
 * string by a YAML 1.1 or 1.2 reader: empty, surrounding spaces, a leading indicator
 * character, `: ` / ` #`, line breaks and other control characters, text either version reads
 * as another type, and (in flow context) the flow indicators `,[]{}`.
 */
export function needsQuotes(s: string, context: YamlContext = 'block'): boolean {
  if (s === '' || s !== s.trim()) return true;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) return true;
  if (/: |:$| #/.test(s)) return true;
  if (UNPRINTABLE.test(s)) return true;
  if (context === 'flow' && /[,[\]{}]/.test(s)) return true;
  return OTHER_TYPE.test(s) || NUMBER_LIKE.test(s) || TIMESTAMP.test(s);
}

/** `s` as a YAML scalar: plain when `needsQuotes` allows, else double-quoted. */
export function yamlString(s: string, context: YamlContext = 'block'): string {
  if (!needsQuotes(s, context)) return s;
  // JSON's escapes are YAML's; YAML 1.1 also wants the non-printable characters JSON leaves raw escaped
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The context of a node of a YAML document: flow when a `{…}` or `[…]` holds it. */
export function yamlContextOf(text: string, node: AstNode): YamlContext {
  for (let p = node.parent; p; p = p.parent) {
    if ((p.type === 'object' || p.type === 'array') && (text[p.offset] === '{' || text[p.offset] === '['))
      return 'flow';
  }
  return 'block';
}

/** The source text of a string `value` replacing the string node `node`, in the node's quoting style. */
export function quoteLike(doc: Pick<ParsedDocument, 'format' | 'text'>, node: AstNode, value: string): string {
  if (doc.format === 'json') return JSON.stringify(value);
  const q = doc.text[node.offset];
  if (q === '"') return JSON.stringify(value);
  // single quotes escape nothing but the quote itself
  if (q === "'" && !UNPRINTABLE.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return yamlString(value, yamlContextOf(doc.text, node));
}
