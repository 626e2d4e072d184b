/**
 * Step Functions evaluates JSONata with no context item at the top level of an expression:
 * `$`, `$$` and unqualified field names (`foo`, meaning `$.foo`) are rejected there; data
 * must be read through `$states.input` (AWS JSONata guide, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html). Inside
 * predicates, path steps after the first, sort/group terms and lambdas the context item is
 * defined, so those uses are fine. This walks the jsonata AST to find the offending uses.
 */

/** A top-level use of the context item; offsets relative to the string passed in. */
export interface TopLevelReference {
  kind: 'root' | 'field';
  /** `$`, `$$` or the field name */
  text: string;
  offset: number;
  length: number;
}

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
  steps?: AstNode[];
  [k: string]: unknown;
}

/** Keys whose sub-expressions run with a context item bound. */
const CONTEXT_KEYS = new Set(['stages', 'predicate', 'group', 'terms', 'body', 'pattern', 'update', 'delete']);

/**
 * Finds top-level `$` / `$$` / unqualified field names in a parsed jsonata AST (`expr.ast()`).
 * `base` is added to every offset (2 for the body of a `{% … %}` string).
 */
export function findTopLevelContextReferences(ast: unknown, base = 0): TopLevelReference[] {
  const out: TopLevelReference[] = [];
  const at = (n: AstNode, len: number) => Math.max(0, (typeof n.position === 'number' ? n.position : len) - len) + base;
  const walk = (v: unknown, inCtx: boolean): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, inCtx);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const n = v as AstNode;
    if (!inCtx) {
      if (n.type === 'name' && typeof n.value === 'string') {
        out.push({ kind: 'field', text: n.value, offset: at(n, n.value.length), length: Math.max(1, n.value.length) });
      } else if (n.type === 'variable' && (n.value === '' || n.value === '$')) {
        const text = n.value === '' ? '$' : '$$';
        out.push({ kind: 'root', text, offset: at(n, text.length), length: text.length });
      }
    }
    for (const key of Object.keys(n)) {
      if (key === 'procedure' || key === 'position' || key === 'value' || key === 'type') continue;
      const child = n[key];
      if (key === 'steps' && Array.isArray(child)) {
        child.forEach((step, i) => walk(step, inCtx || i > 0));
      } else {
        walk(child, inCtx || CONTEXT_KEYS.has(key));
      }
    }
  };
  walk(ast, false);
  return out;
}
