/**
 * Markdown documentation of a schema node, as shown by hover and completion details.
 * Our schemas already end each markdownDescription with a facts line (type · required ·
 * range · default); for other nodes the same line is computed here.
 */
import type { JsonSchema } from './index';

function typeText(s: JsonSchema): string | undefined {
  if (Array.isArray(s.enum)) return 'one of ' + s.enum.map((v) => '`' + String(v) + '`').join(', ');
  if (s.const !== undefined) return '`' + JSON.stringify(s.const) + '`';
  if (s.type === 'array') {
    const it = s.items && !Array.isArray(s.items) ? typeText(s.items) : undefined;
    return it ? `array of ${it}` : 'array';
  }
  if (Array.isArray(s.type)) return s.type.join(' or ');
  if (typeof s.type === 'string') return s.type;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return [...new Set(alts.map((a) => (a.$ref ? 'object' : (typeText(a) ?? 'value'))))].join(' or ');
  return undefined;
}

function range(lo: number | undefined, hi: number | undefined, unit: string): string {
  if (lo !== undefined && hi !== undefined) return `${lo}–${hi}${unit}`;
  return lo !== undefined ? `≥ ${lo}${unit}` : `≤ ${hi}${unit}`;
}

/** One line "**Type:** … · **Required** · **Range:** … · **Default:** …" for a node. */
export function factsLine(s: JsonSchema, required?: boolean): string {
  const parts: string[] = [];
  const t = typeText(s);
  if (t) parts.push(`**Type:** ${t}`);
  if (required === true) parts.push('**Required**');
  else if (required === false) parts.push('Optional');
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`**Range:** ${range(s.minimum, s.maximum, '')}`);
  if (s.minLength !== undefined || s.maxLength !== undefined)
    parts.push(`**Length:** ${range(s.minLength, s.maxLength, ' characters')}`);
  if (s.minItems !== undefined || s.maxItems !== undefined)
    parts.push(`**Items:** ${range(s.minItems, s.maxItems, '')}`);
  if (s.default !== undefined) parts.push(`**Default:** \`${JSON.stringify(s.default)}\``);
  return parts.join(' · ');
}

/**
 * Markdown for hover: the description (with its facts line) followed by the allowed values
 * and what each means. `required` is only used for nodes without our facts line.
 */
export function describe(schema: JsonSchema, required?: boolean): string {
  let md = schema.markdownDescription ?? '';
  if (!md) {
    const facts = factsLine(schema, required);
    md = [schema.description ?? '', facts].filter(Boolean).join('\n\n');
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 1) {
    const docs = schema.markdownEnumDescriptions ?? [];
    const lines = schema.enum.map((v, i) => `- \`${String(v)}\`${docs[i] ? ' — ' + docs[i] : ''}`);
    md += (md ? '\n\n' : '') + 'Allowed values:\n' + lines.join('\n');
  }
  return md;
}
