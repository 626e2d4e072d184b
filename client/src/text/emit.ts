/**
 * Small JSON / YAML text emitters for plain data (used by "New State Machine" to offer a
 * template in YAML) and, through the `scalar` hook, for snippet bodies with placeholders
 * (snippets/src/generate.ts). No dependency, so the client bundle stays small.
 */

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
  return esc(needsQuotes(k) ? JSON.stringify(k) : k);
}

function yamlScalar(v: Emittable, hook?: ScalarHook): string {
  const esc = hook?.escape ?? ((s: string) => s);
  if (isOpaque(v)) return hook ? hook.yaml(v) : 'null';
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  if (typeof v === 'string') return esc(needsQuotes(v) ? JSON.stringify(v) : v);
  return String(v);
}

/**
 * True when a string cannot be written as a plain YAML scalar: empty, surrounding spaces,
 * a leading indicator character, `: ` / ` #`, or text that YAML 1.2 would read as another type.
 */
export function needsQuotes(s: string): boolean {
  if (s === '' || s !== s.trim()) return true;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) return true;
  if (/: |:$| #|[\n\t]/.test(s)) return true;
  if (/^(true|false|yes|no|on|off|null|~)$/i.test(s)) return true;
  if (/^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s) || /^0[xo]/i.test(s) || /^[-+]?\.(inf|nan)$/i.test(s))
    return true;
  return false;
}
