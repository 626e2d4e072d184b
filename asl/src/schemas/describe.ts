/**
 * Markdown documentation of a schema node, as shown by hover and completion details.
 * Every markdownDescription in schemas/ ends with the facts line computed by `factsLine`
 * (type · required · range · length · items · default); a test keeps them in step, so
 * hand edits of a schema only need to touch the prose.
 */
import type { JsonSchema } from './index';

const JSONATA_REF = /\/jsonata$/;

function typeText(s: JsonSchema): string | undefined {
  if (Array.isArray(s.enum)) return 'one of ' + s.enum.map((v) => '`' + String(v) + '`').join(', ');
  if (s.const !== undefined) return '`' + JSON.stringify(s.const) + '`';
  if (s.type === 'array') {
    const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
    const it = items ? (items.$ref && !items.type ? 'objects' : typeText(items)) : undefined;
    if (!it) return 'array';
    return `array of ${it.startsWith('one of') ? 'strings (' + it + ')' : it}`;
  }
  if (Array.isArray(s.type)) return s.type.join(' or ');
  if (typeof s.type === 'string') return s.type;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const names = alts.map((a) =>
      a.$ref ? (JSONATA_REF.test(a.$ref) ? 'JSONata expression `{% … %}`' : 'object') : (typeText(a) ?? 'value'),
    );
    return [...new Set(names)].join(' or ');
  }
  return undefined;
}

/** 99999999 → "99,999,999" (only from 10,000 up, like the schema texts). */
function fmt(n: number | undefined): string | number | undefined {
  return typeof n === 'number' && n >= 10000 ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n;
}

function range(lo: number | undefined, hi: number | undefined, unit: string): string {
  if (lo !== undefined && hi !== undefined) return `${fmt(lo)}–${fmt(hi)}${unit}`;
  return lo !== undefined ? `≥ ${fmt(lo)}${unit}` : `≤ ${fmt(hi)}${unit}`;
}

/**
 * One line "**Type:** … · **Required** · **Range:** … · **Default:** …" for a node; empty when
 * there is nothing to say. `required` undefined (array items, map values) prints neither
 * Required nor Optional.
 */
export function factsLine(node: JsonSchema, required?: boolean): string {
  // a JSONata-capable field keeps its constraints on the first anyOf branch
  const first = !node.type && node.anyOf?.[0]?.type ? node.anyOf[0] : undefined;
  const s: JsonSchema = first ? { ...first, ...node, type: undefined } : node;
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
 * and what each means. `required` is only used for nodes without a markdownDescription.
 */
export function describe(schema: JsonSchema, required?: boolean): string {
  if (!schema || typeof schema !== 'object') return '';
  let md = schema.markdownDescription ?? '';
  if (!md) md = [schema.description ?? '', factsLine(schema, required)].filter(Boolean).join('\n\n');
  if (Array.isArray(schema.enum) && schema.enum.length > 1) {
    const docs = schema.markdownEnumDescriptions ?? [];
    const lines = schema.enum.map((v, i) => `- \`${String(v)}\`${docs[i] ? ' — ' + docs[i] : ''}`);
    md += (md ? '\n\n' : '') + 'Allowed values:\n' + lines.join('\n');
  }
  return md;
}
