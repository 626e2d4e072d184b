/**
 * Per-state control fields (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html, https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html, https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html): ASL308 Wait needs exactly one of
 * Seconds/Timestamp/SecondsPath/TimestampPath; ASL309 a field and its `…Path` variant are
 * mutually exclusive; ASL310 HeartbeatSeconds must be below TimeoutSeconds; ASL311 Fail
 * Error/ErrorPath and Cause/CausePath exclusive; ASL312 Map with both ItemProcessor and
 * Iterator; ASL315 deprecated Map fields (hint); ASL316 Map with both ItemSelector and Parameters.
 */
import { PATH_TWIN_FIELDS, REQUIRED_ONE_OF } from '../schemas/fields';
import type { AstNode, StateInfo } from '../types';
import type { Rule, RuleContext } from './types';
import { getValue, keyNode } from '../parse/tree';
import { span } from './util';

export const stateControl: Rule = {
  codes: {
    ASL308: { severity: 'error', title: 'Wait needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath' },
    ASL309: { severity: 'error', title: 'A field and its Path variant are mutually exclusive' },
    ASL310: { severity: 'error', title: 'HeartbeatSeconds must be smaller than TimeoutSeconds' },
    ASL311: { severity: 'error', title: 'Fail: Error/ErrorPath and Cause/CausePath are mutually exclusive' },
    ASL312: { severity: 'error', title: 'Map with both ItemProcessor and Iterator' },
    ASL315: { severity: 'hint', title: 'Deprecated Map field' },
    ASL316: { severity: 'error', title: 'Map with both ItemSelector and Parameters' },
  },
  checkState(s, ctx) {
    if (s.node.type === 'object') checkControls(s, ctx);
  },
};

/** Fields of objects nested in a Map that also exist as a `…Path` variant, by their path from the state. */
const NESTED_PATH_TWINS: readonly [string, readonly string[]][] = [
  ['ItemBatcher', ['MaxItemsPerBatch', 'MaxInputBytesPerBatch']],
  ['ItemReader.ReaderConfig', ['MaxItems']],
];

/** Each field with its `…Path` variant, made once: every state of a machine is checked. */
const withPath = (fields: readonly string[]): readonly [string, string][] => fields.map((f) => [f, `${f}Path`]);
const STATE_PATH_TWINS = withPath(PATH_TWIN_FIELDS);
const FAIL_PATH_TWINS = withPath(['Error', 'Cause']);
const NESTED_TWINS = NESTED_PATH_TWINS.map(([where, fields]) => [where, withPath(fields)] as const);

/**
 * Whether `obj` has the `…Path` variant of one of `twins`. Without one no twin is set twice, and
 * this one pass over its keys spares most states a search of all of them per field.
 */
function hasPathVariant(obj: AstNode, twins: readonly [string, string][]): boolean {
  if (obj.type !== 'object') return false;
  for (const p of obj.children ?? []) {
    const name = p.children?.[0]?.value;
    if (typeof name === 'string' && name.endsWith('Path') && twins.some(([, path]) => path === name)) return true;
  }
  return false;
}

/** `code` on each field of `twins` set together with its `…Path` variant in `obj`. */
function checkPathTwins(
  obj: AstNode,
  twins: readonly [string, string][],
  code: 'ASL309' | 'ASL311',
  message: (field: string) => string,
  ctx: RuleContext,
): void {
  if (!hasPathVariant(obj, twins)) return;
  for (const [f, path] of twins) {
    const a = keyNode(obj, f);
    const b = a && keyNode(obj, path);
    if (a && b)
      ctx.report({
        code,
        ...span(b),
        message: message(f),
        relatedOffsets: [{ ...span(a), message: `'${f}' is here` }],
        data: { remove: true },
      });
  }
}

const bothSet = (where: string) => (f: string) => `'${where}${f}' and '${where}${f}Path' cannot both be set.`;
const BOTH_SET = bothSet('');

function checkControls(s: StateInfo, ctx: RuleContext): void {
  const obj = s.node;
  if (s.type === 'Wait') {
    const group = REQUIRED_ONE_OF.Wait?.[s.queryLanguage] ?? [];
    const present = group.filter((f) => keyNode(obj, f));
    if (present.length === 0) {
      ctx.report({
        code: 'ASL308',
        ...span(s.keyNode),
        message: `Wait state '${s.name}' needs exactly one of ${group.join(', ')}.`,
        data: { missing: [group[0]] },
      });
    } else if (present.length > 1) {
      for (const f of present.slice(1))
        ctx.report({
          code: 'ASL308',
          ...span(keyNode(obj, f)!),
          message: `A Wait state takes exactly one of ${group.join(', ')}; '${present[0]}' is already set.`,
          data: { remove: true },
        });
    }
  }
  checkPathTwins(obj, STATE_PATH_TWINS, 'ASL309', BOTH_SET, ctx);
  if (s.type === 'Map')
    for (const [where, twins] of NESTED_TWINS) {
      let o: AstNode | undefined = obj;
      for (const step of where.split('.')) o = getValue(o, step);
      if (o?.type === 'object') checkPathTwins(o, twins, 'ASL309', bothSet(`${where}.`), ctx);
    }
  const t = getValue(obj, 'TimeoutSeconds');
  const h = getValue(obj, 'HeartbeatSeconds');
  if (t?.type === 'number' && h?.type === 'number' && (h.value as number) >= (t.value as number)) {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html: the heartbeat interval must be smaller than the timeout
    ctx.report({
      code: 'ASL310',
      ...span(h),
      message: `'HeartbeatSeconds' (${String(h.value)}) must be smaller than 'TimeoutSeconds' (${String(t.value)}).`,
      relatedOffsets: [{ ...span(t), message: 'TimeoutSeconds' }],
    });
  }
  if (s.type === 'Fail')
    checkPathTwins(obj, FAIL_PATH_TWINS, 'ASL311', (f) => `A Fail state cannot have both '${f}' and '${f}Path'.`, ctx);
  if (s.type === 'Map') {
    const proc = keyNode(obj, 'ItemProcessor');
    const iter = keyNode(obj, 'Iterator');
    if (proc && iter)
      ctx.report({
        code: 'ASL312',
        ...span(iter),
        message: "A Map state cannot have both 'ItemProcessor' and the deprecated 'Iterator'.",
        data: { remove: true },
      });
    else if (iter)
      ctx.report({
        code: 'ASL315',
        ...span(iter),
        message: "'Iterator' is deprecated: use 'ItemProcessor'.",
        tags: ['deprecated'],
        data: { replaceWith: 'ItemProcessor' },
      });
    const params = s.queryLanguage === 'JSONPath' ? keyNode(obj, 'Parameters') : undefined;
    const selector = keyNode(obj, 'ItemSelector');
    if (params && selector)
      ctx.report({
        code: 'ASL316',
        ...span(params),
        message: "A Map state cannot have both 'ItemSelector' and the deprecated 'Parameters': keep 'ItemSelector'.",
        relatedOffsets: [{ ...span(selector), message: "'ItemSelector' is here" }],
        data: { remove: true },
      });
    else if (params)
      ctx.report({
        code: 'ASL315',
        ...span(params),
        message: "'Parameters' on a Map state is deprecated: use 'ItemSelector'.",
        tags: ['deprecated'],
        data: { replaceWith: 'ItemSelector' },
      });
  }
}
