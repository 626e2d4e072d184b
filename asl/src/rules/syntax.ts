/**
 * ASL001–ASL004: syntax problems reported by the parser (invalid JSON/YAML, comments, trailing
 * commas, duplicate keys) — Step Functions parses definitions with a strict JSON parser
 * (INVALID_JSON_DESCRIPTION, https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html), so all of them are errors. ASL100: the root
 * is not an object.
 */
import type { AstNode, ParsedDocument } from '../types';
import type { Rule, RuleContext } from './types';
import { repeatedKeysIn } from '../parse/tree';

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
    // JSON parses repeated keys without a problem (ParsedDocument.duplicateKeys); YAML reports them among its problems
    if (root && doc.format === 'json' && !doc.problems.some((p) => p.code === 'ASL004'))
      reportDuplicateKeys(doc, root, ctx);
    if (root && root.type !== 'object')
      ctx.report({
        code: 'ASL100',
        offset: root.offset,
        length: Math.min(root.length, 1),
        message: MSG_ROOT_NOT_OBJECT,
      });
  },
};

/** ASL004 for JSON: a key repeated in the same object (the later one is flagged). */
function reportDuplicateKeys(doc: ParsedDocument, root: AstNode, ctx: RuleContext): void {
  // the JSON parser finds them as it reads; a document made otherwise is searched here
  for (const [k, prev] of doc.duplicateKeys ?? repeatedKeysIn(root)) {
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
}
