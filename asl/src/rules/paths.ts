/**
 * Data flow in JSONPath states (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html, https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html): ASL201 a `.$` key whose value is not a
 * path, context path, variable or intrinsic call; ASL202 invalid JSONPath syntax; ASL203 a
 * field that must be a reference path; ASL204 unknown intrinsic function; ASL205 intrinsic
 * arity/argument/syntax errors; ASL206 a key and its `.$` twin in the same object; ASL212 an
 * unquoted word compared in a filter (hint: accepted as a string, quick fix quotes it).
 */
import {
  parseIntrinsicCached as parseIntrinsic,
  parseJsonPathCached as parseJsonPath,
  asReferencePath,
  unquotedFilterWords,
  validateIntrinsic,
} from '../paths';
import type { AstNode, JsonPath, StateInfo } from '../types';
import { valueSpan } from './stringOffsets';
import type { Rule, RuleContext } from './types';
import { forEachProperty, getValue, items, keyNode, propertyEntries } from '../parse/tree';
import { span } from './util';
import { checkOnce } from './checkOnce';

type PathMode = 'any' | 'reference' | 'result' | 'stringOrIntrinsic';

/** Path fields of states and what they accept (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html: ResultPath has no variables/context). */
const STATE_PATH_FIELDS: Record<string, PathMode> = {
  InputPath: 'any',
  OutputPath: 'any',
  ResultPath: 'result',
  ItemsPath: 'reference',
  TimeoutSecondsPath: 'reference',
  HeartbeatSecondsPath: 'reference',
  SecondsPath: 'reference',
  TimestampPath: 'reference',
  MaxConcurrencyPath: 'reference',
  ToleratedFailurePercentagePath: 'reference',
  ToleratedFailureCountPath: 'reference',
  ErrorPath: 'stringOrIntrinsic',
  CausePath: 'stringOrIntrinsic',
};

/** Objects in a state whose `Parameters` is a payload template. */
const PARAMETERS_HOLDERS = ['ItemReader', 'ResultWriter'];

/** Payload-template fields (keys ending in `.$` are evaluated). */
const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign', 'Credentials'];

/** Intrinsics that return a string, allowed in Fail ErrorPath/CausePath (the AWS language service's fail_state schema, https://github.com/aws/amazon-states-language-service). */
const STRING_INTRINSICS = new Set([
  'States.ArrayGetItem',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Format',
  'States.JsonToString',
  'States.Hash',
  'States.UUID',
]);

export const payloadPaths: Rule = {
  codes: {
    ASL201: { severity: 'error', title: "Invalid value for a '.$' key" },
    ASL202: { severity: 'error', title: 'Invalid JSONPath' },
    ASL203: { severity: 'error', title: 'A reference path is required' },
    ASL204: { severity: 'error', title: 'Unknown intrinsic function' },
    ASL205: { severity: 'error', title: 'Invalid intrinsic function call' },
    ASL206: { severity: 'error', title: "A key and its '.$' twin are both present" },
    ASL212: { severity: 'hint', title: 'Unquoted word in a JSONPath filter' },
  },
  checkState(state, ctx) {
    if (state.queryLanguage === 'JSONPath' && state.node.type === 'object') checkStatePaths(state, ctx);
  },
};

function checkStatePaths(state: StateInfo, ctx: RuleContext): void {
  const obj = state.node;
  forEachProperty(obj, (name, _key, value) => {
    if (!value) return;
    const mode = STATE_PATH_FIELDS[name];
    if (mode && value.type === 'string') checkPathValue(value, mode, name, ctx);
    else if (TEMPLATE_FIELDS.includes(name)) checkTemplate(value, ctx);
  });
  for (const sub of PARAMETERS_HOLDERS) {
    const v = getValue(getValue(obj, sub), 'Parameters');
    if (v) checkTemplate(v, ctx);
  }
  const batcher = getValue(obj, 'ItemBatcher');
  for (const [name, , value] of propertyEntries(batcher)) {
    if (name === 'BatchInput' && value) checkTemplate(value, ctx);
    else if (name.endsWith('Path') && value?.type === 'string') checkPathValue(value, 'reference', name, ctx);
  }
  const maxItemsPath = getValue(getValue(getValue(obj, 'ItemReader'), 'ReaderConfig'), 'MaxItemsPath');
  if (maxItemsPath?.type === 'string') checkPathValue(maxItemsPath, 'reference', 'MaxItemsPath', ctx);
  for (const c of items(getValue(obj, 'Catch'))) {
    const rp = getValue(c, 'ResultPath');
    if (rp?.type === 'string') checkPathValue(rp, 'result', 'ResultPath', ctx);
    const assign = getValue(c, 'Assign');
    if (assign) checkTemplate(assign, ctx);
  }
  if (state.type === 'Choice') for (const rule of items(getValue(obj, 'Choices'))) checkChoiceRule(rule, ctx, 0);
}

function checkChoiceRule(rule: AstNode, ctx: RuleContext, depth: number): void {
  if (rule.type !== 'object' || depth > 100) return;
  for (const [name, , value] of propertyEntries(rule)) {
    if (!value) continue;
    if ((name === 'Variable' || (name.endsWith('Path') && name !== 'Variable')) && value.type === 'string')
      checkPathValue(value, 'reference', name, ctx);
    else if ((name === 'And' || name === 'Or') && value.type === 'array')
      for (const r of items(value)) checkChoiceRule(r, ctx, depth + 1);
    else if (name === 'Not') checkChoiceRule(value, ctx, depth + 1);
    else if (name === 'Assign') checkTemplate(value, ctx);
  }
}

/** Checks one path string; offsets of errors point inside the string. */
function checkPathValue(node: AstNode, mode: PathMode, field: string, ctx: RuleContext): void {
  const text = String(node.value);
  const doc = ctx.model.doc;
  if (mode === 'stringOrIntrinsic' && text.startsWith('States.')) {
    checkIntrinsic(node, text, ctx);
    const r = parseIntrinsic(text);
    if (r.ok && !STRING_INTRINSICS.has(r.value.name) && r.value.name.startsWith('States.')) {
      ctx.report({
        code: 'ASL205',
        ...span(node),
        message: `'${field}' needs a path or an intrinsic function that returns a string; ${r.value.name} does not.`,
      });
    }
    return;
  }
  const parsed = parseJsonPath(text);
  if (!parsed.ok) {
    ctx.report({
      code: 'ASL202',
      ...valueSpan(doc, node, parsed.error.offset, parsed.error.length),
      message: `Invalid path in '${field}': ${parsed.error.message}`,
    });
    return;
  }
  reportFilterWords(node, parsed.value, ctx);
  if (mode === 'reference' || mode === 'result') {
    const r = asReferencePath(text, parsed, mode === 'result' ? { allowVariables: false, allowContext: false } : {});
    if (!r.ok)
      ctx.report({
        code: 'ASL203',
        ...valueSpan(doc, node, r.error.offset, r.error.length),
        message: `'${field}' must be a reference path: ${r.error.message}`,
      });
  }
}

function checkIntrinsic(node: AstNode, text: string, ctx: RuleContext): void {
  const doc = ctx.model.doc;
  const parsed = parseIntrinsic(text);
  if (!parsed.ok) {
    ctx.report({
      code: 'ASL205',
      ...valueSpan(doc, node, parsed.error.offset, parsed.error.length),
      message: `Invalid intrinsic function call: ${parsed.error.message}`,
    });
    return;
  }
  for (const e of validateIntrinsic(parsed.value)) {
    const unknown = /^Unknown intrinsic function/.test(e.message);
    const suggestion = unknown ? /Did you mean '([^']+)'/.exec(e.message)?.[1] : undefined;
    ctx.report({
      code: unknown ? 'ASL204' : 'ASL205',
      ...valueSpan(doc, node, e.offset, e.length),
      message: e.message,
      data: suggestion ? { replaceWith: suggestion, suggestions: [suggestion] } : undefined,
    });
  }
}

/** Checks a payload template (its findings depend on nothing but its text). */
function checkTemplate(root: AstNode, ctx: RuleContext): void {
  checkOnce(ctx, 'template', root.offset, root, (c) => walkTemplate(root, c));
}

/** Walks a payload template (iteratively: templates can be deep). */
function walkTemplate(root: AstNode, ctx: RuleContext): void {
  const stack: AstNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    // only containers are stacked: scalars outside `.$` keys hold nothing to check
    if (n.type === 'array') {
      for (const c of n.children ?? []) if (c.children) stack.push(c);
      continue;
    }
    if (n.type !== 'object') continue;
    forEachProperty(n, (name, key, value) => {
      if (!name.endsWith('.$')) {
        if (value?.children) stack.push(value);
        return;
      }
      const plain = name.slice(0, -2);
      const twin = keyNode(n, plain);
      if (twin) {
        ctx.report({
          code: 'ASL206',
          ...span(key),
          message: `'${plain}' and '${name}' are both present: keep only one (the '.$' form takes its value from a path).`,
          relatedOffsets: [{ ...span(twin), message: `'${plain}' is here` }],
        });
      }
      if (value) checkDollarValue(value, name, ctx);
    });
  }
}

function checkDollarValue(value: AstNode, key: string, ctx: RuleContext): void {
  if (value.type !== 'string') {
    ctx.report({
      code: 'ASL201',
      ...span(value),
      message: `The value of '${key}' must be a string holding a path, a context path, a variable or an intrinsic function call.`,
    });
    return;
  }
  const text = String(value.value);
  if (text.startsWith('States.')) {
    checkIntrinsic(value, text, ctx);
    return;
  }
  if (!text.startsWith('$')) {
    ctx.report({
      code: 'ASL201',
      ...span(value),
      message: `The value of '${key}' must be a path ('$.…'), a context path ('$$.…'), a variable ('$name') or an intrinsic function call ('States.…(…)'). Remove '.$' from the key for a literal value.`,
      data: { renameKeyTo: key.slice(0, -2) },
    });
    return;
  }
  const parsed = parseJsonPath(text);
  if (!parsed.ok)
    ctx.report({
      code: 'ASL202',
      ...valueSpan(ctx.model.doc, value, parsed.error.offset, parsed.error.length),
      message: `Invalid path in '${key}': ${parsed.error.message}`,
    });
  else reportFilterWords(value, parsed.value, ctx);
}

/** ASL212 for each unquoted word compared in a filter of the path held by `node`. */
function reportFilterWords(node: AstNode, path: JsonPath, ctx: RuleContext): void {
  for (const w of unquotedFilterWords(path))
    ctx.report({
      code: 'ASL212',
      ...valueSpan(ctx.model.doc, node, w.offset, w.length),
      message: `'${w.word}' in this filter is an unquoted word: Step Functions compares it as the string "${w.word}". Quote it to say so.`,
      data: { quoteWord: w.word },
    });
}
