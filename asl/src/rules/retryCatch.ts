/**
 * Retry and Catch (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html): ASL301 `States.ALL` must be alone in ErrorEquals;
 * ASL302 … and its retrier/catcher must be the last one; ASL303 ErrorEquals must be a
 * non-empty array of strings; ASL304 retrier values out of range; ASL314 a custom error name
 * starting with `States.` in ErrorEquals or a Fail state's Error (warning). Unknown/missing
 * fields use ASL102/ASL101/ASL208/ASL209, wrong value types ASL104.
 */
import { CATCHER_FIELDS, CATCHER_REQUIRED, RETRIER_FIELDS, RETRIER_REQUIRED } from '../schemas/fields';
import type { AstNode, QueryLanguage } from '../types';
import { fieldKindMessage } from './fieldTypes';
import type { Rule, RuleContext } from './types';
import { forEachProperty, getValue, hasField, items } from '../parse/tree';
import { didYouMean, didYouMeanText, objectAnchor, span } from './util';
import { STATES_ERROR_NAMES } from '../statesErrors';
import { checkOnce } from './checkOnce';

/** Retrier numeric ranges (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). */
const RANGES: Record<string, { min: number; max: number; integer: boolean }> = {
  IntervalSeconds: { min: 1, max: 99999999, integer: true },
  MaxAttempts: { min: 0, max: 99999999, integer: true },
  BackoffRate: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: false },
  MaxDelaySeconds: { min: 1, max: 31622400, integer: true },
};

export const retryCatch: Rule = {
  codes: {
    ASL301: { severity: 'error', title: "'States.ALL' must be alone in ErrorEquals" },
    ASL302: { severity: 'error', title: "A 'States.ALL' retrier or catcher must be the last one" },
    ASL303: { severity: 'error', title: 'ErrorEquals must be a non-empty array of error names' },
    ASL304: { severity: 'error', title: 'Retrier value out of range' },
    ASL314: { severity: 'warning', title: "Custom error name in the reserved 'States.' namespace" },
  },
  checkState(state, ctx) {
    if (state.node.type !== 'object') return;
    const retry = getValue(state.node, 'Retry');
    if (retry?.type === 'array') checkListOnce(retry, 'Retry', state.queryLanguage, ctx);
    const c = getValue(state.node, 'Catch');
    if (c?.type === 'array') checkListOnce(c, 'Catch', state.queryLanguage, ctx);
    const error = state.type === 'Fail' ? getValue(state.node, 'Error') : undefined;
    if (error?.type === 'string') checkErrorName(error, ctx);
  },
};

/** Checks a Retry or Catch list (its findings depend on nothing but its text, its kind and the query language). */
function checkListOnce(list: AstNode, kind: 'Retry' | 'Catch', ql: QueryLanguage, ctx: RuleContext): void {
  checkOnce(ctx, `${kind}|${ql}`, list.offset, list, (c) => checkList(list, kind, ql, c));
}

function checkList(list: AstNode, kind: 'Retry' | 'Catch', ql: QueryLanguage, ctx: RuleContext): void {
  const all = items(list);
  const what = kind === 'Retry' ? 'retrier' : 'catcher';
  all.forEach((item, i) => {
    if (item.type !== 'object') {
      ctx.report({ code: 'ASL104', severity: 'error', ...span(item), message: `Each ${what} must be an object.` });
      return;
    }
    checkFields(item, kind, ql, ctx);
    const ee = getValue(item, 'ErrorEquals');
    if (!ee) return;
    if (ee.type !== 'array' || !ee.children?.length || ee.children.some((c) => c.type !== 'string')) {
      ctx.report({
        code: 'ASL303',
        ...span(ee),
        message: "'ErrorEquals' must be a non-empty array of error name strings.",
      });
      return;
    }
    for (const e of ee.children) {
      const name = String(e.value);
      if (name === 'States.ALL') {
        if (ee.children.length > 1)
          ctx.report({
            code: 'ASL301',
            ...span(e),
            message: "'States.ALL' must appear alone in 'ErrorEquals'.",
            data: { remove: true },
          });
        if (i !== all.length - 1) {
          ctx.report({
            code: 'ASL302',
            ...span(e),
            message: `A ${what} matching 'States.ALL' must be the last ${what}: the ones after it can never match.`,
          });
        }
      } else checkErrorName(e, ctx);
    }
    if (kind === 'Retry') checkRanges(item, ctx);
  });
}

/**
 * ASL314 for a custom error name in the reserved `States.` namespace. Step Functions accepts
 * such names (published samples throw and catch `States.QuorumMet`), so this is a warning:
 * a near miss of a predefined name is most likely a typo, any other name reads like one of
 * Step Functions' own errors.
 */
function checkErrorName(node: AstNode, ctx: RuleContext): void {
  const name = String(node.value);
  if (!name.startsWith('States.') || STATES_ERROR_NAMES.includes(name)) return;
  const suggestions = didYouMean(name, STATES_ERROR_NAMES);
  const advice = suggestions.length
    ? ` Step Functions accepts it as a custom error, so it only matches an error of exactly this name.${didYouMeanText(suggestions)}`
    : ` Step Functions accepts it as a custom error, but the 'States.' prefix is reserved for its own errors: a name without it (e.g. '${name.slice('States.'.length) || 'MyError'}') cannot be mistaken for one.`;
  ctx.report({
    code: 'ASL314',
    ...span(node),
    message: `'${name}' is not a predefined error name.${advice}`,
    data: suggestions.length ? { replaceWith: suggestions[0], suggestions } : undefined,
  });
}

function checkFields(item: AstNode, kind: 'Retry' | 'Catch', ql: QueryLanguage, ctx: RuleContext): void {
  const allowed = kind === 'Retry' ? RETRIER_FIELDS : CATCHER_FIELDS[ql];
  const other = kind === 'Catch' ? CATCHER_FIELDS[ql === 'JSONPath' ? 'JSONata' : 'JSONPath'] : [];
  const what = kind === 'Retry' ? 'a retrier' : 'a catcher';
  forEachProperty(item, (name, key, value) => {
    if (allowed.includes(name)) {
      const msg = value && fieldKindMessage(name, value, ql);
      if (msg) ctx.report({ code: 'ASL104', severity: 'error', ...span(value!), message: msg });
      return;
    }
    if (other.includes(name)) {
      ctx.report({
        code: ql === 'JSONata' ? 'ASL208' : 'ASL209',
        severity: 'error',
        ...span(key),
        message: `Field '${name}' is only supported in ${ql === 'JSONata' ? 'JSONPath' : 'JSONata'} states; this state uses ${ql}.`,
        data: { remove: true },
      });
      return;
    }
    const suggestions = didYouMean(name, allowed);
    ctx.report({
      code: 'ASL102',
      severity: 'error',
      ...span(key),
      message: `Field '${name}' is not supported in ${what}.${didYouMeanText(suggestions)}`,
      data: suggestions.length ? { replaceWith: suggestions[0], suggestions } : { remove: true },
    });
  });
  const required = kind === 'Retry' ? RETRIER_REQUIRED : CATCHER_REQUIRED;
  const missing = required.filter((f) => !hasField(item, f));
  if (missing.length)
    ctx.report({
      code: 'ASL101',
      severity: 'error',
      ...objectAnchorOfItem(item),
      message: `${what[0].toUpperCase()}${what.slice(1)} is missing: ${missing.join(', ')}.`,
      data: { missing },
    });
}

/** An array item has no key: point at its first character. */
function objectAnchorOfItem(item: AstNode): { offset: number; length: number } {
  return item.parent?.type === 'array' ? { offset: item.offset, length: 1 } : objectAnchor(item);
}

function checkRanges(item: AstNode, ctx: RuleContext): void {
  forEachProperty(item, (name, _key, value) => {
    if (!value) return;
    const r = RANGES[name];
    if (r) {
      const v = value.value;
      const ok =
        value.type === 'number' &&
        typeof v === 'number' &&
        v >= r.min &&
        v <= r.max &&
        (!r.integer || Number.isInteger(v));
      if (!ok) {
        const range =
          r.max === Number.MAX_SAFE_INTEGER
            ? `a number ≥ ${r.min}`
            : `${r.integer ? 'an integer' : 'a number'} from ${r.min} to ${r.max}`;
        ctx.report({ code: 'ASL304', ...span(value), message: `'${name}' must be ${range}.` });
      }
    } else if (name === 'JitterStrategy' && value.value !== 'FULL' && value.value !== 'NONE') {
      ctx.report({
        code: 'ASL304',
        ...span(value),
        message: "'JitterStrategy' must be 'FULL' or 'NONE'.",
        data: { suggestions: ['FULL', 'NONE'] },
      });
    }
  });
}
