/**
 * Structure of the machine, its branches/processors and every state (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html):
 * ASL101 missing required field, ASL102 unknown or misplaced field (did-you-mean), ASL104
 * wrong value type, ASL105 unknown state Type, ASL106 Next xor End, ASL113 a JSONPath state
 * inside a JSONata machine, ASL208/ASL209 fields of the other query language. The objects
 * nested in states (ItemReader, ItemBatcher, ResultWriter, Credentials) are checked the same
 * way in subObjects.ts.
 */
import {
  BRANCH_FIELDS,
  FIELDS_BY_STATE_TYPE,
  PROCESSOR_CONFIG_FIELDS,
  PROCESSOR_FIELDS,
  PROCESSOR_MODES,
  EXECUTION_TYPES,
  REQUIRED_FIELDS_BY_STATE_TYPE,
  STATE_TYPES,
  TOP_LEVEL_FIELDS,
  TOP_LEVEL_REQUIRED,
  type StateTypeName,
} from '../schemas/fields';
import type { AstNode, QueryLanguage, Scope, StateInfo } from '../types';
import { checkKind, FIELD_KINDS } from './fieldTypes';
import type { Rule, RuleContext } from './types';
import { checkSubObjects } from './subObjects';
import { forEachProperty, getValue, hasField, items, propertyEntries } from '../parse/tree';
import { didYouMean, didYouMeanText, objectAnchor, span } from './util';

const ALL_STATE_FIELDS = new Set<string>();
for (const t of STATE_TYPES)
  for (const ql of ['JSONPath', 'JSONata'] as const)
    for (const f of FIELDS_BY_STATE_TYPE[t][ql]) ALL_STATE_FIELDS.add(f);

/** FIELDS_BY_STATE_TYPE as sets. */
const ALLOWED = {} as Record<StateTypeName, Record<QueryLanguage, ReadonlySet<string>>>;
for (const t of STATE_TYPES)
  ALLOWED[t] = {
    JSONPath: new Set(FIELDS_BY_STATE_TYPE[t].JSONPath),
    JSONata: new Set(FIELDS_BY_STATE_TYPE[t].JSONata),
  };

/** State types that end with `Next` or `"End": true` (ASL106). */
export const TRANSITION_TYPES: ReadonlySet<string> = new Set(['Task', 'Pass', 'Wait', 'Parallel', 'Map']);

export const stateFields: Rule = {
  codes: {
    ASL101: { severity: 'error', title: 'Missing required field' },
    ASL102: { severity: 'error', title: 'Unknown or misplaced field' },
    ASL104: { severity: 'error', title: 'Wrong value type' },
    ASL105: { severity: 'error', title: 'Unknown state type' },
    ASL106: { severity: 'error', title: 'A state needs exactly one of Next and End' },
    ASL113: { severity: 'error', title: 'JSONPath state in a JSONata state machine' },
    ASL208: { severity: 'error', title: 'JSONPath-only field in a JSONata state' },
    ASL209: { severity: 'error', title: 'JSONata-only field in a JSONPath state' },
  },
  check(ctx) {
    for (const scope of ctx.model.scopes) checkScope(scope, ctx);
  },
  checkState(state, ctx) {
    checkStateFields(state, ctx);
  },
};

function checkScope(scope: Scope, ctx: RuleContext): void {
  const obj = scope.node;
  if (obj.type !== 'object') {
    ctx.report({
      code: 'ASL104',
      ...objectAnchor(obj),
      message:
        scope.kind === 'root'
          ? 'A state machine definition must be an object.'
          : 'A branch or item processor must be an object.',
    });
    return;
  }
  const allowed = scope.kind === 'root' ? TOP_LEVEL_FIELDS : scope.kind === 'branch' ? BRANCH_FIELDS : PROCESSOR_FIELDS;
  const where =
    scope.kind === 'root'
      ? 'at the top level of a state machine'
      : scope.kind === 'branch'
        ? 'in a Parallel branch'
        : 'in a Map item processor';
  for (const [name, key, value] of propertyEntries(obj)) {
    if (!allowed.includes(name)) {
      const suggestions = didYouMean(name, allowed);
      ctx.report({
        code: 'ASL102',
        ...span(key),
        message: `Field '${name}' is not supported ${where}.${didYouMeanText(suggestions)}`,
        data: suggestions.length ? { replaceWith: suggestions[0], suggestions } : { remove: true },
      });
      continue;
    }
    if (!value) continue;
    const kind = FIELD_KINDS[name];
    const msg = kind && checkKind(name, kind, value, 'JSONPath');
    if (msg) ctx.report({ code: 'ASL104', ...span(value), message: msg });
    if (name === 'Version' && value.type === 'string' && value.value !== '1.0')
      ctx.report({ code: 'ASL104', ...span(value), message: '\'Version\' must be "1.0".' });
    if (name === 'ProcessorConfig' && value.type === 'object') checkProcessorConfig(value, ctx);
  }
  const missing = TOP_LEVEL_REQUIRED.filter((f) => !hasKey(obj, f));
  if (missing.length) {
    ctx.report({
      code: 'ASL101',
      ...objectAnchor(obj),
      message: `These fields are required: ${missing.join(', ')}.`,
      data: { missing },
    });
  }
}

function checkProcessorConfig(obj: AstNode, ctx: RuleContext): void {
  for (const [name, key, value] of propertyEntries(obj)) {
    if (!PROCESSOR_CONFIG_FIELDS.includes(name)) {
      const suggestions = didYouMean(name, PROCESSOR_CONFIG_FIELDS);
      ctx.report({
        code: 'ASL102',
        ...span(key),
        message: `Field '${name}' is not supported in ProcessorConfig.${didYouMeanText(suggestions)}`,
        data: suggestions.length ? { replaceWith: suggestions[0], suggestions } : { remove: true },
      });
    } else if (value) {
      const allowed = name === 'Mode' ? PROCESSOR_MODES : EXECUTION_TYPES;
      if (typeof value.value !== 'string' || !allowed.includes(value.value)) {
        ctx.report({
          code: 'ASL104',
          ...span(value),
          message: `'${name}' must be one of ${allowed.join(', ')}.`,
          data: { suggestions: [...allowed] },
        });
      }
    }
  }
}

const hasKey = hasField;

function checkStateFields(state: StateInfo, ctx: RuleContext): void {
  const obj = state.node;
  if (obj.type !== 'object') {
    ctx.report({ code: 'ASL104', ...span(state.keyNode), message: `State '${state.name}' must be an object.` });
    return;
  }
  const typeNode = getValue(obj, 'Type');
  if (!typeNode) {
    ctx.report({
      code: 'ASL101',
      ...span(state.keyNode),
      message: `State '${state.name}' has no 'Type'.`,
      data: { missing: ['Type'] },
    });
    return;
  }
  const type = typeNode.type === 'string' ? String(typeNode.value) : undefined;
  if (!type || !(STATE_TYPES as readonly string[]).includes(type)) {
    const suggestions = type ? didYouMean(type, STATE_TYPES) : [];
    ctx.report({
      code: 'ASL105',
      ...span(typeNode),
      message: `'Type' must be one of ${STATE_TYPES.join(', ')}.${didYouMeanText(suggestions)}`,
      data: { suggestions: suggestions.length ? suggestions : [...STATE_TYPES], replaceWith: suggestions[0] },
    });
    return;
  }
  const t = type as StateTypeName;
  const ql: QueryLanguage = state.queryLanguage;
  const other: QueryLanguage = ql === 'JSONPath' ? 'JSONata' : 'JSONPath';
  const allowed = FIELDS_BY_STATE_TYPE[t][ql];
  const allowedSet = ALLOWED[t][ql];
  const otherSet = ALLOWED[t][other];
  forEachProperty(obj, (name, key, value) => {
    if (!allowedSet.has(name)) {
      if (otherSet.has(name)) {
        const code = ql === 'JSONata' ? 'ASL208' : 'ASL209';
        const hint =
          ql === 'JSONata'
            ? replacementInJsonata(name)
            : ' Set "QueryLanguage": "JSONata" on the state or the machine to use it.';
        ctx.report({
          code,
          ...span(key),
          message: `Field '${name}' is only supported in ${other} states; this state uses ${ql}.${hint}`,
          data: { remove: true },
        });
      } else if (ALL_STATE_FIELDS.has(name)) {
        ctx.report({
          code: 'ASL102',
          ...span(key),
          message: `Field '${name}' is not supported in a ${t} state.`,
          data: { remove: true },
        });
      } else {
        const suggestions = didYouMean(name, allowed);
        ctx.report({
          code: 'ASL102',
          ...span(key),
          message: `Field '${name}' is not supported in a ${t} state.${didYouMeanText(suggestions)}`,
          data: suggestions.length ? { replaceWith: suggestions[0], suggestions } : { remove: true },
        });
      }
      return;
    }
    if (!value) return;
    const kind = FIELD_KINDS[name];
    const msg = kind && checkKind(name, kind, value, ql);
    if (msg) ctx.report({ code: 'ASL104', ...span(value), message: msg });
    if (name === 'QueryLanguage' && value.value === 'JSONPath' && ctx.model.queryLanguage === 'JSONata') {
      // AWS: "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine" (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html)
      ctx.report({
        code: 'ASL113',
        ...span(value),
        message: "'QueryLanguage' cannot be 'JSONPath' when the whole state machine uses JSONata.",
      });
    }
  });
  // a list only when something is missing: most states lack nothing
  let missing: string[] | undefined;
  for (const f of REQUIRED_FIELDS_BY_STATE_TYPE[t]) if (f !== 'Type' && !hasKey(obj, f)) (missing ??= []).push(f);
  if (t === 'Map' && !hasKey(obj, 'ItemProcessor') && !hasKey(obj, 'Iterator')) (missing ??= []).push('ItemProcessor');
  if (missing) {
    ctx.report({
      code: 'ASL101',
      ...span(state.keyNode),
      message: `${t} state '${state.name}' is missing required field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`,
      data: { missing },
    });
  }
  if (TRANSITION_TYPES.has(t)) checkTransition(state, ctx);
  if (t === 'Parallel') checkBranchItems(obj, ctx);
  checkSubObjects(state, ctx);
}

/** Each Branches item is a branch object; other values have no StartAt/States to check (the model skips them). */
function checkBranchItems(obj: AstNode, ctx: RuleContext): void {
  for (const item of items(getValue(obj, 'Branches'))) {
    if (item.type !== 'object')
      ctx.report({
        code: 'ASL104',
        ...span(item),
        message: "Each item of 'Branches' must be an object with 'StartAt' and 'States'.",
      });
  }
}

function replacementInJsonata(name: string): string {
  if (name === 'Parameters') return " Use 'Arguments' instead.";
  if (['InputPath', 'OutputPath', 'ResultSelector', 'ResultPath', 'Result'].includes(name))
    return " Use 'Output' (and 'Assign') instead.";
  if (name === 'ItemsPath') return " Use 'Items' instead.";
  if (name.endsWith('Path')) return ` Use '${name.slice(0, -4)}' with a {% %} expression instead.`;
  return '';
}

function checkTransition(state: StateInfo, ctx: RuleContext): void {
  const endNode = state.end;
  const end = endNode?.type === 'boolean' && endNode.value === true;
  const hasNext = state.hasNext;
  if (hasNext && end) {
    ctx.report({
      code: 'ASL106',
      ...span(endNode!.parent?.children?.[0] ?? endNode!),
      message: `State '${state.name}' has both 'Next' and 'End': use exactly one.`,
      data: { remove: true },
    });
  } else if (!hasNext && !end && !(endNode && endNode.type !== 'boolean')) {
    const message = endNode
      ? `State '${state.name}' has "End": false and no 'Next': set "End": true or add 'Next'.`
      : `State '${state.name}' needs either 'Next' or "End": true.`;
    ctx.report({ code: 'ASL106', ...span(state.keyNode), message, data: { missing: ['Next', 'End'] } });
  }
}
