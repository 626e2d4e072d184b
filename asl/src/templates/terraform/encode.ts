/**
 * From HCL to the virtual ASL text and back. Two shapes:
 * - `jsonencode({...})`: the HCL object becomes JSON text laid out like the HCL (white space
 *   kept, comments blanked, `=` written as `:`, bare keys quoted, commas added where HCL
 *   separates by new lines), every character mapped to the HCL token it comes from;
 * - a JSON string (heredoc or quoted): the string's template text, decoded.
 * Terraform expressions that are not literals (references, function calls, interpolations)
 * become `${name}` placeholders. Edits go the other way: JSON text is written as HCL (bare
 * keys, `=`, string escapes, `$${` for a literal `${`), and a placeholder written back is the
 * original expression.
 */
import type { OffsetMap } from '../offsetMap';
import type { HostEdit, Placeholder } from '../types';
import type { Expr, TemplatePart } from './hclSyntax';
import { interpInner, STYLES, TERRAFORM_ORIGIN, Virtual, type Classify, type Reference } from './hclToJson';
import { hclQuoted, IDENT, jsonToHcl, RESERVED, restoreTemplate } from './jsonToHcl';

/** A string of the virtual text: where its quotes are and how the host writes its content. */
interface StringSpan {
  /** virtual offsets of the opening and the closing quote */
  open: number;
  close: number;
  style: (typeof STYLES)[number];
  /** host range of a bare key */
  hostStart: number;
  hostEnd: number;
}

export interface VirtualDefinition {
  map: OffsetMap;
  placeholders: Placeholder[];
  /** directive `%{…}` host ranges (never evaluated) */
  directives: { start: number; end: number }[];
}

/** The innermost string of `strings` whose content holds virtual [start, end). */
function stringAround(strings: number[], start: number, end: number): StringSpan | undefined {
  let best: StringSpan | undefined;
  for (let i = 0; i < strings.length; i += 5) {
    const [open, close, style, hostStart, hostEnd] = strings.slice(i, i + 5);
    if (open < start && end <= close && (!best || open > best.open))
      best = { open, close, style: STYLES[style], hostStart, hostEnd };
  }
  return best;
}

/** Whether virtual [start, end) cuts into a placeholder (covering one whole is fine). */
function cutsReference(refs: Reference[], start: number, end: number): boolean {
  return refs.some(
    (r) =>
      start < r.end &&
      end > r.start &&
      !(start <= r.start && end >= r.end) &&
      !(start === end && (start === r.start || start === r.end)),
  );
}

/** The virtual JSON of a `jsonencode` argument (an object or a tuple). */
export function jsonencodeDefinition(host: string, e: Expr, isList?: (e: Expr) => boolean): VirtualDefinition {
  const v = new Virtual(host, undefined, TERRAFORM_ORIGIN, isList);
  v.value(e);
  const base = v.b.build({ start: e.start, end: e.end });
  const refs = v.sources();
  const encodeEdit = (start: number, end: number, text: string): HostEdit | undefined => {
    if (start > end || start < 0 || end > base.text.length || cutsReference(v.refs, start, end)) return undefined;
    const s = stringAround(v.strings, start, end);
    if (!s) {
      const written = jsonToHcl(text, refs);
      return written === undefined ? undefined : { start: base.toHost(start), end: base.toHost(end), text: written };
    }
    let value: string;
    try {
      value = JSON.parse(`"${text}"`) as string;
    } catch {
      return undefined;
    }
    if (s.style === 'bare') {
      const old = base.text.slice(s.open + 1, s.close);
      const key = old.slice(0, start - s.open - 1) + value + old.slice(end - s.open - 1);
      if (IDENT.test(key) && !RESERVED.has(key))
        return { start: base.toHost(start), end: base.toHost(end), text: value };
      const quoted = hclQuoted(key, refs);
      return quoted === undefined ? undefined : { start: s.hostStart, end: s.hostEnd, text: `"${quoted}"` };
    }
    if (s.style === 'heredoc') {
      if (/[\r\n]/.test(value)) return undefined;
      const written = restoreTemplate(value, refs);
      return written === undefined ? undefined : { start: base.toHost(start), end: base.toHost(end), text: written };
    }
    const written = hclQuoted(value, refs);
    return written === undefined ? undefined : { start: base.toHost(start), end: base.toHost(end), text: written };
  };
  return { map: { ...base, encodeEdit }, placeholders: v.placeholders, directives: v.directives };
}

/**
 * The virtual JSON of a template that holds JSON text: a heredoc, a quoted string, or a whole
 * template file (`parts` of the file text, `heredoc` undefined and `quoted` false).
 */
export function templateDefinition(
  host: string,
  parts: TemplatePart[],
  body: { start: number; end: number },
  quoted: boolean,
  classify?: Classify,
  origin?: string,
): VirtualDefinition {
  const v = new Virtual(host, classify, origin, undefined, true);
  for (const p of parts) {
    if (p.kind === 'literal') {
      v.literal(p.start, p.end, false, quoted ? undefined : { strip: 0, atLineStart: false });
    } else if (p.kind === 'interp') {
      const inner = interpInner(host, p.start, p.end);
      v.reference(p.expr, p.start, p.end, !v.inString, inner.start, inner.end);
    } else {
      v.directives.push({ start: p.start, end: p.end });
      // blanks keep the columns of the text around the directive
      v.gap(p.start, p.end);
    }
  }
  const base = v.b.build(body);
  const refs = v.sources();
  const encodeEdit = (start: number, end: number, text: string): HostEdit | undefined => {
    if (start > end || start < 0 || end > base.text.length || cutsReference(v.refs, start, end)) return undefined;
    if (v.directives.some((d) => base.toHost(start) < d.end && base.toHost(end) > d.start)) return undefined;
    // a placeholder that stood unquoted in the template goes back unquoted
    let value = text;
    for (const [name, r] of refs) if (r?.bare) value = value.split(`"\${${name}}"`).join(`\${${name}}`);
    const written = quoted ? hclQuoted(value, refs) : restoreTemplate(value, refs);
    return written === undefined ? undefined : { start: base.toHost(start), end: base.toHost(end), text: written };
  };
  return { map: { ...base, encodeEdit }, placeholders: v.placeholders, directives: v.directives };
}
