/**
 * Choice states (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html): ASL305 a rule must have exactly one comparison operator (or
 * a Condition in JSONata); ASL306 Choices must not be empty; ASL307 no Default (warning: no
 * match fails the execution with States.NoChoiceMatched); ASL313 Next is required on
 * top-level rules and forbidden inside And/Or/Not. Operand types use ASL104.
 */
import { CHOICE_OPERATORS, CHOICE_RULE_FIELDS, type ChoiceOperator } from '../schemas/fields';
import type { AstNode, QueryLanguage, StateInfo } from '../types';
import { fieldKindMessage } from './fieldTypes';
import type { Rule, RuleContext } from './types';
import { getValue, items, keyNode, propertyEntries } from '../parse/tree';
import { didYouMean, didYouMeanText, isJsonataString, span } from './util';

const OPS = new Map<string, ChoiceOperator>(CHOICE_OPERATORS.map((o) => [o.name, o]));
/** RFC 3339 timestamp with uppercase T and Z (or an offset), https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const choice: Rule = {
  codes: {
    ASL305: { severity: 'error', title: 'A Choice rule needs exactly one comparison operator' },
    ASL306: { severity: 'error', title: 'Choice state without rules' },
    ASL307: { severity: 'warning', title: 'Choice state without Default' },
    ASL313: { severity: 'error', title: "Misplaced or missing 'Next' in a Choice rule" },
  },
  checkState(state, ctx) {
    if (state.type === 'Choice' && state.node.type === 'object') checkChoice(state, ctx);
  },
};

function checkChoice(state: StateInfo, ctx: RuleContext): void {
  const choices = getValue(state.node, 'Choices');
  if (choices?.type === 'array' && !choices.children?.length) {
    ctx.report({ code: 'ASL306', ...span(choices), message: "'Choices' must contain at least one rule." });
  }
  if (!keyNode(state.node, 'Default')) {
    ctx.report({
      code: 'ASL307',
      ...span(state.keyNode),
      message: `Choice state '${state.name}' has no 'Default': when no rule matches, the execution fails with States.NoChoiceMatched.`,
      data: { missing: ['Default'] },
    });
  }
  for (const rule of items(choices)) checkRule(rule, true, state.queryLanguage, ctx, 0);
}

function checkRule(rule: AstNode, top: boolean, ql: QueryLanguage, ctx: RuleContext, depth: number): void {
  if (rule.type !== 'object') {
    ctx.report({ code: 'ASL104', severity: 'error', ...span(rule), message: 'A Choice rule must be an object.' });
    return;
  }
  if (depth > 100) return;
  const anchor = { offset: rule.offset, length: 1 };
  const fields = CHOICE_RULE_FIELDS[ql];
  const other = CHOICE_RULE_FIELDS[ql === 'JSONPath' ? 'JSONata' : 'JSONPath'];
  const ops: [string, AstNode, AstNode | undefined][] = [];
  let hasNext = false;
  for (const entry of propertyEntries(rule)) {
    const [name, key, value] = entry;
    if (fields.includes(name) && name !== 'Condition') {
      const msg = value && fieldKindMessage(name, value, ql);
      if (msg) ctx.report({ code: 'ASL104', severity: 'error', ...span(value!), message: msg });
    }
    if (name === 'Next') {
      hasNext = true;
      if (!top)
        ctx.report({
          code: 'ASL313',
          ...span(key),
          message: "Rules nested in 'And', 'Or' or 'Not' cannot have 'Next'.",
          data: { remove: true },
        });
      continue;
    }
    if ((name === 'Assign' || name === 'Output') && !top) {
      ctx.report({
        code: 'ASL102',
        severity: 'error',
        ...span(key),
        message: `'${name}' is only allowed on top-level Choice rules.`,
        data: { remove: true },
      });
      continue;
    }
    if (fields.includes(name)) continue;
    if (ql === 'JSONPath' && OPS.has(name)) {
      ops.push(entry);
      continue;
    }
    if (other.includes(name) || (ql === 'JSONata' && OPS.has(name))) {
      ctx.report({
        code: ql === 'JSONata' ? 'ASL208' : 'ASL209',
        severity: 'error',
        ...span(key),
        message:
          ql === 'JSONata'
            ? `'${name}' is a JSONPath Choice field; JSONata rules use 'Condition' with a {% %} expression.`
            : `'${name}' is only supported in JSONata Choice rules.`,
        data: { remove: true },
      });
      continue;
    }
    const candidates = ql === 'JSONPath' ? [...fields, ...OPS.keys()] : fields;
    const suggestions = didYouMean(name, candidates);
    ctx.report({
      code: 'ASL102',
      severity: 'error',
      ...span(key),
      message: `Field '${name}' is not supported in a Choice rule.${didYouMeanText(suggestions)}`,
      data: suggestions.length ? { replaceWith: suggestions[0], suggestions } : { remove: true },
    });
  }
  if (top && !hasNext)
    ctx.report({
      code: 'ASL313',
      ...anchor,
      message: "A top-level Choice rule needs 'Next'.",
      data: { missing: ['Next'] },
    });
  if (ql === 'JSONata') {
    const cond = getValue(rule, 'Condition');
    if (!cond)
      ctx.report({
        code: 'ASL305',
        ...anchor,
        message: "A JSONata Choice rule needs a 'Condition'.",
        data: { missing: ['Condition'] },
      });
    else if (cond.type !== 'boolean' && !isJsonataString(cond))
      ctx.report({
        code: 'ASL104',
        severity: 'error',
        ...span(cond),
        message: "'Condition' must be a boolean or a {% %} JSONata expression.",
      });
    return;
  }
  if (ops.length !== 1) {
    ctx.report({
      code: 'ASL305',
      ...(ops.length ? span(ops[1][1]) : anchor),
      message: ops.length
        ? 'Each Choice rule can only have one comparison operator.'
        : 'This Choice rule has no comparison operator.',
    });
  }
  const op = ops[0] && OPS.get(ops[0][0])!;
  const hasVariable = !!keyNode(rule, 'Variable');
  if (op && op.family !== 'logical' && !hasVariable) {
    ctx.report({
      code: 'ASL101',
      severity: 'error',
      ...anchor,
      message: `A rule using '${op.name}' needs 'Variable'.`,
      data: { missing: ['Variable'] },
    });
  }
  if (op?.family === 'logical' && hasVariable) {
    ctx.report({
      code: 'ASL102',
      severity: 'error',
      ...span(keyNode(rule, 'Variable')!),
      message: `'Variable' is not used by '${op.name}'.`,
      data: { remove: true },
    });
  }
  for (const [name, , value] of ops) {
    const o = OPS.get(name)!;
    if (value) checkOperand(o, value, ql, ctx, depth);
  }
}

function checkOperand(op: ChoiceOperator, value: AstNode, ql: QueryLanguage, ctx: RuleContext, depth: number): void {
  const bad = (what: string): void =>
    ctx.report({ code: 'ASL104', severity: 'error', ...span(value), message: `'${op.name}' must be ${what}.` });
  switch (op.operand) {
    case 'rules':
      if (value.type !== 'array' || !value.children?.length) bad('a non-empty array of rules');
      else for (const r of value.children) checkRule(r, false, ql, ctx, depth + 1);
      break;
    case 'rule':
      if (value.type !== 'object') bad('a rule object');
      else checkRule(value, false, ql, ctx, depth + 1);
      break;
    case 'string':
    case 'path':
      if (value.type !== 'string') bad('a string');
      break;
    case 'number':
      if (value.type !== 'number') bad('a number');
      break;
    case 'boolean':
      if (value.type !== 'boolean') bad('a boolean');
      break;
    case 'timestamp':
      if (value.type !== 'string' || !TIMESTAMP.test(String(value.value)))
        bad("an RFC 3339 timestamp string such as '2026-01-01T00:00:00Z' (uppercase T and Z)");
      break;
  }
}
