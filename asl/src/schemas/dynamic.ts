/**
 * Static view of a Parameters / Arguments payload for schema checks. Values computed at run
 * time cannot be type-checked: JSONPath keys ending in `.$` (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html) and JSONata
 * `{% … %}` strings (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html). This removes the former (remembering the plain key) and records
 * both, so a checker can ignore "required"/"type" complaints about them.
 */
import { isJsonataExpression } from '../jsonata/syntax';

export interface StaticView {
  /** the payload with every `K.$` key removed */
  value: unknown;
  /** JSON pointers (ajv `instancePath` style, e.g. `/Overrides/ContainerOverrides/0/Command`) of dynamic values */
  dynamicPaths: Set<string>;
}

/** True for a whole-string JSONata expression `{% … %}` (one definition: asl/src/jsonata). */
export { isJsonataExpression };

const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Builds the static view of a payload (see module doc). Never throws; depth-limited. */
export function staticView(payload: unknown): StaticView {
  const dynamicPaths = new Set<string>();
  const walk = (v: unknown, ptr: string, depth: number): unknown => {
    if (depth > 64) return v;
    if (isJsonataExpression(v)) {
      dynamicPaths.add(ptr);
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${ptr}/${i}`, depth + 1));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k.endsWith('.$')) dynamicPaths.add(`${ptr}/${esc(k.slice(0, -2))}`);
        else out[k] = walk(x, `${ptr}/${esc(k)}`, depth + 1);
      }
      return out;
    }
    return v;
  };
  return { value: walk(payload, '', 0), dynamicPaths };
}

/** Minimal shape of an ajv error, so this module needs no ajv import. */
export interface SchemaErrorLike {
  instancePath: string;
  keyword: string;
  params?: { missingProperty?: string; [k: string]: unknown };
}

/**
 * True when a schema error concerns a dynamic value (or lies inside one): a missing property
 * supplied as `K.$`, or a type/enum/range complaint about a `{% … %}` string.
 */
export function isDynamicError(err: SchemaErrorLike, dynamicPaths: Set<string>): boolean {
  const target =
    err.keyword === 'required' && err.params?.missingProperty !== undefined
      ? `${err.instancePath}/${esc(err.params.missingProperty)}`
      : err.instancePath;
  for (const p of dynamicPaths) if (target === p || target.startsWith(p + '/')) return true;
  return false;
}
