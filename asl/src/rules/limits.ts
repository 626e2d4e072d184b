/**
 * Service limits (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html): ASL601 a static payload (Parameters, Arguments,
 * Result, Output, ItemSelector…) over 256 KiB — Step Functions fails the state with
 * States.DataLimitExceeded; ASL602 a definition over 1 MB (CreateStateMachine rejects it).
 */
import { forEachProperty } from '../parse/tree';
import { PAYLOAD_LIMIT } from '../quotas';
import type { AstNode } from '../types';
import type { Rule } from './types';
import { span, utf8Length } from './util';

/** 1 MB definition size (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
export const MAX_DEFINITION_BYTES = 1048576;

const PAYLOAD_FIELDS = new Set([
  'Parameters',
  'Arguments',
  'Result',
  'Output',
  'ItemSelector',
  'ResultSelector',
  'Assign',
]);

/**
 * The UTF-8 size of a node's value as JSON text, as `JSON.stringify(nodeValue(node))` would
 * measure it (a later duplicate key wins, a key without a value is left out), walked with an
 * explicit stack: both of those recurse, and a payload nested thousands of levels deep
 * overflows the call stack.
 */
function jsonBytes(node: AstNode): number {
  let bytes = 0;
  const stack: AstNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'object') {
      const values = new Map<string, AstNode | undefined>();
      for (const p of n.children ?? [])
        if (p.children?.[0]) values.set(String(p.children[0].value ?? ''), p.children[1]);
      let members = 0;
      for (const [k, v] of values) {
        if (!v) continue;
        members++;
        bytes += utf8Length(JSON.stringify(k)) + 1;
        stack.push(v);
      }
      bytes += 2 + Math.max(0, members - 1);
    } else if (n.type === 'array') {
      const items = n.children ?? [];
      bytes += 2 + Math.max(0, items.length - 1);
      for (const c of items) stack.push(c);
    } else if (n.type === 'string') bytes += utf8Length(JSON.stringify(String(n.value)));
    else if (n.type === 'number' || n.type === 'boolean') bytes += String(JSON.stringify(n.value)).length;
    else bytes += 4; // null
  }
  return bytes;
}

export const limits: Rule = {
  codes: {
    ASL601: { severity: 'error', title: 'Static payload over 256 KiB' },
    ASL602: { severity: 'error', title: 'Definition over 1 MB' },
  },
  check(ctx) {
    const { doc } = ctx.model;
    // cheap pre-check: a UTF-16 code unit is at most 3 bytes of UTF-8, so a text of up to a
    // third of the limit is certainly small enough
    if (doc.text.length * 3 > MAX_DEFINITION_BYTES) {
      const bytes = utf8Length(doc.text);
      if (bytes > MAX_DEFINITION_BYTES)
        ctx.report({
          code: 'ASL602',
          offset: 0,
          length: 1,
          message: `The definition is ${bytes} bytes; Step Functions accepts at most ${MAX_DEFINITION_BYTES} (1 MB).`,
        });
    }
  },
  checkState(s, ctx) {
    forEachProperty(s.node, (name, key, value) => {
      // JSON text is never more than ~3x shorter than the YAML/JSON source of the same value
      // the name first: reading it needs no other node of the tree
      if (!PAYLOAD_FIELDS.has(name) || !value || value.length < PAYLOAD_LIMIT / 3) return;
      const bytes = jsonBytes(value);
      if (bytes > PAYLOAD_LIMIT) {
        ctx.report({
          code: 'ASL601',
          ...span(key),
          message: `'${name}' is ${bytes} bytes as JSON; Step Functions payloads are limited to ${PAYLOAD_LIMIT} bytes (256 KiB), the state would fail with States.DataLimitExceeded.`,
        });
      }
    });
  },
};
