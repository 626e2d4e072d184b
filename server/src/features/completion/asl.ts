/**
 * Structural ASL completion: state types, the fields valid for the state type and query
 * language (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html), scope/branch/processor fields, Retry/Catch/Choice rule fields,
 * enum values, and state names for StartAt/Next/Default/Catch Next scoped to the branch.
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import {
  BRANCH_FIELDS,
  CATCHER_FIELDS,
  CHOICE_OPERATORS,
  CHOICE_RULE_FIELDS,
  CREDENTIALS_FIELDS,
  EXCLUSIVE_FIELD_GROUPS,
  EXECUTION_TYPES,
  FIELDS_BY_STATE_TYPE,
  ITEM_BATCHER_FIELDS,
  ITEM_READER_FIELDS,
  PROCESSOR_CONFIG_FIELDS,
  PROCESSOR_FIELDS,
  PATH_FIELDS,
  PROCESSOR_MODES,
  REQUIRED_FIELDS_BY_STATE_TYPE,
  RESULT_WRITER_FIELDS,
  RETRIER_FIELDS,
  STATE_TYPES,
  TOP_LEVEL_FIELDS,
  type StateTypeName,
} from '../../../../asl/src/schemas/fields';
import type { Scope } from '../../../../asl/src/types';
import { keyOf } from '../../../../asl/src/parse/tree';
import { enclosingScope } from '../../../../asl/src/model';
import { fieldDoc, integrationErrors } from './docs';
import { STATES_ERRORS } from '../../../../asl/src/statesErrors';
import type { CompletionEnv } from './env';
import { payloadContext } from '../shared/payload';
import { keyItem, valueItem, type Shape } from './items';

/** The value shape of each ASL field (decides the inserted snippet). */
export const FIELD_SHAPES: Record<string, Shape> = {
  Type: { enum: [...STATE_TYPES] },
  QueryLanguage: { enum: ['JSONPath', 'JSONata'] },
  Comment: 'string',
  Version: { enum: ['1.0'] },
  StartAt: 'string',
  States: 'object',
  Next: 'string',
  End: 'true',
  Default: 'string',
  Resource: 'string',
  InputPath: 'string',
  OutputPath: 'string',
  ResultPath: 'string',
  ItemsPath: 'string',
  Parameters: 'object',
  ResultSelector: 'object',
  Arguments: 'object',
  Output: 'any',
  Assign: 'object',
  Result: 'any',
  Credentials: 'object',
  Retry: 'arrayOfObjects',
  Catch: 'arrayOfObjects',
  Choices: 'arrayOfObjects',
  Branches: 'arrayOfObjects',
  TimeoutSeconds: 'number',
  HeartbeatSeconds: 'number',
  TimeoutSecondsPath: 'string',
  HeartbeatSecondsPath: 'string',
  Seconds: 'number',
  SecondsPath: 'string',
  Timestamp: 'string',
  TimestampPath: 'string',
  Error: 'string',
  ErrorPath: 'string',
  Cause: 'string',
  CausePath: 'string',
  ItemProcessor: 'object',
  Iterator: 'object',
  ItemSelector: 'object',
  Items: 'any',
  MaxConcurrency: 'number',
  MaxConcurrencyPath: 'string',
  ItemReader: 'object',
  ItemBatcher: 'object',
  ResultWriter: 'object',
  ToleratedFailurePercentage: 'number',
  ToleratedFailureCount: 'number',
  ToleratedFailurePercentagePath: 'string',
  ToleratedFailureCountPath: 'string',
  Label: 'string',
  ProcessorConfig: 'object',
  Mode: { enum: [...PROCESSOR_MODES] },
  ExecutionType: { enum: [...EXECUTION_TYPES] },
  ErrorEquals: 'array',
  IntervalSeconds: 'number',
  MaxAttempts: 'number',
  BackoffRate: 'number',
  MaxDelaySeconds: 'number',
  JitterStrategy: { enum: ['FULL', 'NONE'] },
  Variable: 'string',
  Condition: 'string',
  And: 'arrayOfObjects',
  Or: 'arrayOfObjects',
  Not: 'object',
  RoleArn: 'string',
  'RoleArn.$': 'string',
  ReaderConfig: 'object',
  WriterConfig: 'object',
  BatchInput: 'object',
  MaxItemsPerBatch: 'number',
  MaxInputBytesPerBatch: 'number',
  MaxItemsPerBatchPath: 'string',
  MaxInputBytesPerBatchPath: 'string',
};

const VALUE_ENUMS: Record<string, string[]> = {
  Type: [...STATE_TYPES],
  QueryLanguage: ['JSONPath', 'JSONata'],
  Mode: [...PROCESSOR_MODES],
  ExecutionType: [...EXECUTION_TYPES],
  JitterStrategy: ['FULL', 'NONE'],
  Version: ['1.0'],
};

function shapeFor(name: string, env: CompletionEnv): Shape {
  if (name === 'Next' || name === 'Default') {
    const names = env.state ? [...env.state.scope.states.keys()].filter((n) => n !== env.state!.name) : [];
    return names.length && names.length <= 40 ? { choice: names } : 'string';
  }
  const op = CHOICE_OPERATORS.find((o) => o.name === name);
  if (op)
    return op.operand === 'number'
      ? 'number'
      : op.operand === 'boolean'
        ? 'boolean'
        : op.operand === 'rules'
          ? 'arrayOfObjects'
          : op.operand === 'rule'
            ? 'object'
            : 'string';
  return FIELD_SHAPES[name] ?? 'any';
}

/** Fields whose value is a block of keys (or items) the server completes. */
const STRUCTURED_FIELDS = new Set([
  'States',
  'Retry',
  'Catch',
  'ErrorEquals',
  'Choices',
  'And',
  'Or',
  'Not',
  'Branches',
  'ItemProcessor',
  'Iterator',
  'ProcessorConfig',
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'Credentials',
]);

/** Whether the value of field `name` has completions (then the list opens again once the key is in). */
function valueCompletes(name: string, env: CompletionEnv): boolean {
  if (STRUCTURED_FIELDS.has(name)) return true;
  if (name === 'StartAt') return (env.scope?.stateList.length ?? 0) > 0;
  if (name === 'Next' || name === 'Default')
    return !!env.state && env.state.scope.stateList.some((s) => s !== env.state);
  if (name === 'Resource') return env.state?.type === 'Task' && env.rel.length === 0;
  if ((name === 'Parameters' || name === 'Arguments') && env.rel.length === 0)
    return !!payloadContext(env.state, [name]);
  if (env.queryLanguage !== 'JSONPath' || !env.state) return false;
  return PATH_FIELDS.includes(name) || (env.rel[0] === 'Choices' && (name === 'Variable' || name.endsWith('Path')));
}

/** Fields not offered because a field present already excludes them (a state takes one of each group). */
function excludedFields(existing: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const group of EXCLUSIVE_FIELD_GROUPS) if (group.some((f) => existing.has(f))) for (const f of group) out.add(f);
  return out;
}

function keyItems(
  env: CompletionEnv,
  names: readonly string[],
  context: string,
  required: readonly string[] = [],
): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const name of names) {
    if (env.cur.existing.has(name)) continue;
    const req = required.includes(name);
    out.push(
      keyItem(env.doc, env.cur, name, shapeFor(name, env), {
        detail: `${context}${req ? ' (required)' : ''}`,
        documentation: fieldDoc(name, context, env.queryLanguage),
        sortText: (req ? '0' : '1') + name,
        retrigger: valueCompletes(name, env),
      }),
    );
  }
  return out;
}

/** Key completions for ASL structure; undefined when the position is not structural. */
export function aslKeyCompletions(env: CompletionEnv): CompletionItem[] | undefined {
  const { rel, state, queryLanguage: ql } = env;
  const last = rel[rel.length - 1];
  if (!state) {
    if (rel.length === 0) return keyItems(env, TOP_LEVEL_FIELDS, 'State machine', ['StartAt', 'States']);
    if (typeof last === 'number' && rel[rel.length - 2] === 'Branches')
      return keyItems(env, BRANCH_FIELDS, 'Parallel branch', ['StartAt', 'States']);
    if (last === 'ItemProcessor' || last === 'Iterator')
      return keyItems(env, PROCESSOR_FIELDS, 'Map processor', ['StartAt', 'States']);
    if (last === 'ProcessorConfig') return keyItems(env, PROCESSOR_CONFIG_FIELDS, 'ProcessorConfig');
    return undefined;
  }
  if (rel.length === 0) {
    if (!state.type || !(STATE_TYPES as readonly string[]).includes(state.type)) {
      const excluded = excludedFields(env.cur.existing);
      return keyItems(
        env,
        ['Type', 'Comment', 'QueryLanguage', 'Next', 'End'].filter((f) => !excluded.has(f)),
        'State',
        ['Type'],
      );
    }
    const t = state.type as StateTypeName;
    const excluded = excludedFields(env.cur.existing);
    const shown = FIELDS_BY_STATE_TYPE[t][ql].filter((f) => !excluded.has(f));
    return keyItems(env, shown, `${t} state (${ql})`, REQUIRED_FIELDS_BY_STATE_TYPE[t]);
  }
  const [head, second] = rel;
  if (rel.length === 2 && head === 'Branches' && typeof second === 'number')
    return keyItems(env, BRANCH_FIELDS, 'Parallel branch', ['StartAt', 'States']);
  if (rel.length === 1 && (head === 'ItemProcessor' || head === 'Iterator'))
    return keyItems(env, PROCESSOR_FIELDS, 'Map processor', ['StartAt', 'States']);
  if (rel.length === 2 && (head === 'ItemProcessor' || head === 'Iterator') && second === 'ProcessorConfig')
    return keyItems(env, PROCESSOR_CONFIG_FIELDS, 'ProcessorConfig');
  if (rel.length === 2 && head === 'Retry' && typeof second === 'number')
    return keyItems(env, RETRIER_FIELDS, 'Retrier', ['ErrorEquals']);
  if (rel.length === 2 && head === 'Catch' && typeof second === 'number')
    return keyItems(env, CATCHER_FIELDS[ql], 'Catcher', ['ErrorEquals', 'Next']);
  if (rel.length === 1 && head === 'Credentials') return keyItems(env, CREDENTIALS_FIELDS[ql], 'Credentials');
  if (rel.length === 1 && head === 'ItemReader') return keyItems(env, ITEM_READER_FIELDS[ql], 'ItemReader');
  if (rel.length === 1 && head === 'ItemBatcher') return keyItems(env, ITEM_BATCHER_FIELDS[ql], 'ItemBatcher');
  if (rel.length === 1 && head === 'ResultWriter') return keyItems(env, RESULT_WRITER_FIELDS[ql], 'ResultWriter');
  if (head === 'Choices' && typeof second === 'number') {
    const topLevel = rel.length === 2;
    const ops = ql === 'JSONPath' ? CHOICE_OPERATORS.map((o) => o.name) : [];
    const ruleFields =
      ql === 'JSONPath'
        ? topLevel
          ? CHOICE_RULE_FIELDS.JSONPath
          : ['Variable']
        : topLevel
          ? CHOICE_RULE_FIELDS.JSONata
          : [];
    const hasOp = ops.some((o) => env.cur.existing.has(o));
    return keyItems(env, [...ruleFields, ...(hasOp ? [] : ops)], 'Choice rule', topLevel ? ['Next'] : []);
  }
  return undefined;
}

/** The scope that a StartAt at the cursor belongs to. */
function startAtScope(env: CompletionEnv): Scope | undefined {
  const holder = env.cur.property?.parent;
  return holder ? enclosingScope(env.model, holder) : env.scope;
}

/** Most state names returned at once; with more, the list is filtered by the typed text and marked incomplete. */
export const STATE_NAME_LIMIT = 100;

function stateNameItems(env: CompletionEnv, scope: Scope | undefined, exclude?: string): CompletionItem[] {
  if (!scope) return [];
  let list = scope.stateList;
  if (list.length > STATE_NAME_LIMIT) {
    // big machines: filter on the typed text, prefer the state after this one and states nothing references yet
    const typed = env.cur.prefix.replace(/^["']/, '').toLowerCase();
    const referenced = new Set(env.model.refs.filter((r) => r.scope === scope).map((r) => r.target));
    const here = exclude ? list.findIndex((s) => s.name === exclude) : -1;
    const after = here >= 0 ? list[here + 1] : undefined;
    const rank = (s: (typeof list)[number]) => (s === after ? 0 : referenced.has(s.name) ? 2 : 1);
    list = list.filter((s) => !typed || s.name.toLowerCase().includes(typed));
    if (list.length > STATE_NAME_LIMIT) {
      list = [...list].sort((a, b) => rank(a) - rank(b)).slice(0, STATE_NAME_LIMIT);
      env.incomplete = true;
    }
  }
  const out: CompletionItem[] = [];
  for (const s of list) {
    out.push(
      valueItem(env.doc, env.cur, s.name, {
        kind: CompletionItemKind.Reference,
        detail: `${s.type ?? 'state'}${scope.kind === 'root' ? '' : ` in ${scope.id}`}`,
        sortText: (s.name === exclude ? '9' : '0') + s.name,
      }),
    );
  }
  return out;
}

/** Value completions for ASL structure; undefined when not handled here. */
export function aslValueCompletions(env: CompletionEnv): CompletionItem[] | undefined {
  const { rel, state, cur } = env;
  const key = keyOf(cur.property);
  const last = rel[rel.length - 1];
  if (key === 'StartAt') return stateNameItems(env, startAtScope(env));
  if (state) {
    const isNext =
      (rel.length === 1 && (key === 'Next' || key === 'Default')) ||
      (rel.length === 3 && (rel[0] === 'Catch' || rel[0] === 'Choices') && key === 'Next');
    if (isNext) return stateNameItems(env, state.scope, state.name);
    if (rel.length === 1 && key === 'End')
      return [valueItem(env.doc, cur, true, { detail: 'ends the execution (or the branch)' })];
    if (rel[0] === 'Retry' || rel[0] === 'Catch') {
      if (rel[2] === 'ErrorEquals' && (typeof last === 'number' || key === 'ErrorEquals')) {
        // an integration may describe a Step Functions error more precisely: its text wins, the place stays
        const byName = new Map<string, { name: string; when: string }>();
        for (const e of [
          ...STATES_ERRORS,
          ...integrationErrors(state.resource?.key, state.resource?.service, state.resource?.kind),
        ])
          byName.set(e.name, e);
        const present = new Set((cur.array?.children ?? []).map((c) => c.value));
        return [...byName.values()]
          .filter((e) => !present.has(e.name) || cur.valueNode?.value === e.name)
          .map((e, i) =>
            valueItem(env.doc, cur, e.name, {
              kind: CompletionItemKind.EnumMember,
              detail: e.when,
              sortText: String(i).padStart(3, '0'),
            }),
          );
      }
    }
    if (rel[0] === 'Choices' && key) {
      const op = CHOICE_OPERATORS.find((o) => o.name === key);
      if (op?.operand === 'boolean') return [true, false].map((b) => valueItem(env.doc, cur, b));
    }
  }
  if (key && VALUE_ENUMS[key]) {
    return VALUE_ENUMS[key].map((v) =>
      valueItem(env.doc, cur, v, {
        kind: CompletionItemKind.EnumMember,
        documentation: fieldDoc(v, key, env.queryLanguage),
      }),
    );
  }
  return undefined;
}
