/**
 * ASL001–ASL004: syntax problems reported by the parser (invalid JSON/YAML, comments, trailing
 * commas, duplicate keys) — Step Functions parses definitions with a strict JSON parser
 * (INVALID_JSON_DESCRIPTION, https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html), so all of them are errors. ASL100: the root
 * is not an object.
 */
import type { AstNode } from '../types';
import type { Rule, RuleContext } from './types';
import { repeatedKeys } from '../parse/tree';

export const MSG_ROOT_NOT_OBJECT = 'A state machine definition must be a JSON object with StartAt and States.';

export const syntax: Rule = {
  codes: {
    ASL001: { severity: 'error', title: 'Syntax error' },
    ASL002: { severity: 'error', title: 'Comments are not allowed' },
    ASL003: { severity: 'error', title: 'Trailing commas are not allowed' },
    ASL004: { severity: 'error', title: 'Duplicate key' },
    ASL100: { severity: 'error', title: 'The definition is not an object' },
  },
  check(ctx) {
    const { doc } = ctx.model;
    for (const p of doc.problems) {
      ctx.report({ code: p.code, severity: p.severity, offset: p.offset, length: p.length, message: p.message });
    }
    const root = doc.root;
    // the JSON parser keeps duplicate keys silently; YAML reports them itself
    if (root && doc.format === 'json' && !doc.problems.some((p) => p.code === 'ASL004')) reportDuplicateKeys(root, ctx);
    if (root && root.type !== 'object')
      ctx.report({
        code: 'ASL100',
        offset: root.offset,
        length: Math.min(root.length, 1),
        message: MSG_ROOT_NOT_OBJECT,
      });
  },
};

/**
 * Objects up to this many properties are searched for a repeated key by comparing each key
 * with the ones before it, which allocates nothing; larger ones are indexed by name. Every
 * object of the document is visited, so allocating per object costs more than the comparisons.
 */
const PAIRWISE_LIMIT = 16;

/** Whether two properties of a small object share a key. */
function hasRepeatedKey(props: AstNode[]): boolean {
  for (let i = 1; i < props.length; i++) {
    const k = props[i].children?.[0]?.value;
    for (let j = 0; j < i; j++) {
      const other = props[j].children?.[0]?.value;
      if (other === k) return true;
      // different strings differ; other values (YAML-like keys, a missing key) as repeatedKeys reads them
      if ((typeof other !== 'string' || typeof k !== 'string') && String(other ?? '') === String(k ?? '')) return true;
    }
  }
  return false;
}

/** ASL004 for JSON: a key repeated in the same object (the later one is flagged). */
function reportDuplicateKeys(root: AstNode, ctx: RuleContext): void {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    // only containers are stacked: scalars (most nodes) have nothing to check
    if (n.type === 'object') {
      const props = n.children ?? [];
      for (const p of props) {
        const v = p.children?.[1];
        if (v?.children) stack.push(v);
      }
      if (props.length < 2 || (props.length <= PAIRWISE_LIMIT && !hasRepeatedKey(props))) continue;
      for (const [k, prev] of repeatedKeys(n)) {
        const name = String(k.value);
        ctx.report({
          code: 'ASL004',
          offset: k.offset,
          length: k.length,
          message: `Duplicate key "${name}": keys must be unique (only one of the values would be used).`,
          relatedOffsets: [{ offset: prev.offset, length: prev.length, message: `first "${name}"` }],
          data: { remove: true },
        });
      }
    } else if (n.type === 'array') for (const c of n.children ?? []) if (c.children) stack.push(c);
  }
}
