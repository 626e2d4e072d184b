/**
 * JSONata states (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): ASL207 a `{% %}` expression that does not parse, positioned
 * inside the expression; ASL210 `$states.result` / `$states.errorOutput` used where Step
 * Functions does not provide them (a definition-time error); ASL211 a string that looks like
 * an expression but is not exactly `{% … %}` (so it is a literal).
 */
import { parseJsonataExpression, referencesStatesField } from '../jsonata';
import type { AstNode, StateInfo } from '../types';
import { valueSpan } from './stringOffsets';
import type { Rule, RuleContext } from './types';
import { items, propertyEntries } from '../parse/tree';
import { span } from './util';

/** State fields whose subtree is not part of this state (nested states live there). */
const NESTED = new Set(['Branches', 'ItemProcessor', 'Iterator']);
/** Where `$states.result` exists: Output/Assign of states that produce a result (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html). */
const RESULT_STATES = new Set(['Task', 'Parallel', 'Map']);

export const jsonata: Rule = {
  codes: {
    ASL207: { severity: 'error', title: 'JSONata expression does not parse' },
    ASL210: { severity: 'error', title: '$states field not available here' },
    ASL211: { severity: 'warning', title: 'Malformed JSONata delimiters' },
  },
  checkState(state, ctx) {
    if (state.queryLanguage !== 'JSONata' || state.node.type !== 'object') return;
    for (const [name, , value] of propertyEntries(state.node)) {
      if (!value || NESTED.has(name) || name === 'Type' || name === 'Comment' || name === 'Resource') continue;
      if (name === 'Catch') {
        for (const c of items(value))
          for (const [cn, , cv] of propertyEntries(c))
            if (cv && cn !== 'Comment') walk(cv, { state, field: cn, inCatch: true }, ctx);
      } else if (name === 'Choices') {
        for (const r of items(value))
          for (const [rn, , rv] of propertyEntries(r))
            if (rv && rn !== 'Comment') walk(rv, { state, field: rn, inCatch: false }, ctx);
      } else walk(value, { state, field: name, inCatch: false }, ctx);
    }
  },
};

interface Where {
  state: StateInfo;
  field: string;
  inCatch: boolean;
}

function walk(root: AstNode, where: Where, ctx: RuleContext): void {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string') checkString(n, where, ctx);
    else if (n.type === 'object') {
      for (const p of n.children ?? []) if (p.children?.[1]) stack.push(p.children[1]);
    } else if (n.type === 'array') for (const c of n.children ?? []) stack.push(c);
  }
}

function checkString(node: AstNode, where: Where, ctx: RuleContext): void {
  const s = String(node.value);
  const starts = s.startsWith('{%');
  const ends = s.endsWith('%}');
  if (!starts || !ends || s.length < 4) {
    const t = s.trim();
    if ((starts || (t.startsWith('{%') && t.endsWith('%}'))) && !(starts && ends && s.length >= 4)) {
      ctx.report({
        code: 'ASL211',
        ...span(node),
        message:
          "This string is not a JSONata expression: an expression must start with '{%' and end with '%}' with nothing outside them. As written it is a literal string.",
        data: t.startsWith('{%') && t.endsWith('%}') ? { replaceWith: t } : undefined,
      });
    }
    return;
  }
  const parsed = parseJsonataExpression(s);
  if (!parsed.ok) {
    ctx.report({
      code: 'ASL207',
      ...valueSpan(ctx.model.doc, node, parsed.error.offset, parsed.error.length),
      message: /^JSONata/.test(parsed.error.message)
        ? parsed.error.message
        : `JSONata syntax error: ${parsed.error.message}`,
    });
    return;
  }
  const resultOk =
    !where.inCatch &&
    RESULT_STATES.has(where.state.type ?? '') &&
    (where.field === 'Output' || where.field === 'Assign');
  if (!resultOk && referencesStatesField(s, 'result')) {
    ctx.report({
      code: 'ASL210',
      ...span(node),
      message: `'$states.result' is not available in '${where.field}' ${where.inCatch ? 'of a Catch' : `of a ${where.state.type} state`}: it exists only in Output and Assign of Task, Parallel and Map states.`,
    });
  }
  if (!where.inCatch && referencesStatesField(s, 'errorOutput')) {
    ctx.report({
      code: 'ASL210',
      ...span(node),
      message: "'$states.errorOutput' is only available inside a Catch (its Output and Assign).",
    });
  }
}
