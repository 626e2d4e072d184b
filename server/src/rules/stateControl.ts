/**
 * Per-state control fields (reference §6.2, DG-TASK, DG-MAP): ASL308 Wait needs exactly one of
 * Seconds/Timestamp/SecondsPath/TimestampPath; ASL309 a field and its `…Path` variant are
 * mutually exclusive; ASL310 HeartbeatSeconds must be below TimeoutSeconds; ASL311 Fail
 * Error/ErrorPath and Cause/CausePath exclusive; ASL312 Map with both ItemProcessor and
 * Iterator; ASL315 deprecated Map fields (hint).
 */
import { REQUIRED_ONE_OF } from '../../../asl/src/schemas/fields';
import type { StateInfo } from '../../../asl/src/types';
import type { Rule, RuleContext } from './types';
import { getValue, keyNode, span } from './util';

const PATH_TWINS = [
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'MaxConcurrency',
  'ToleratedFailurePercentage',
  'ToleratedFailureCount',
];

export const stateControl: Rule = {
  codes: {
    ASL308: { severity: 'error', title: 'Wait needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath' },
    ASL309: { severity: 'error', title: 'A field and its Path variant are mutually exclusive' },
    ASL310: { severity: 'error', title: 'HeartbeatSeconds must be smaller than TimeoutSeconds' },
    ASL311: { severity: 'error', title: 'Fail: Error/ErrorPath and Cause/CausePath are mutually exclusive' },
    ASL312: { severity: 'error', title: 'Map with both ItemProcessor and Iterator' },
    ASL315: { severity: 'hint', title: 'Deprecated Map field' },
  },
  check(ctx) {
    for (const s of ctx.model.states) if (s.node.type === 'object') checkState(s, ctx);
  },
};

function checkState(s: StateInfo, ctx: RuleContext): void {
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
  for (const f of PATH_TWINS) {
    const a = keyNode(obj, f);
    const b = keyNode(obj, f + 'Path');
    if (a && b)
      ctx.report({
        code: 'ASL309',
        ...span(b),
        message: `'${f}' and '${f}Path' cannot both be set.`,
        relatedOffsets: [{ ...span(a), message: `'${f}' is here` }],
        data: { remove: true },
      });
  }
  const t = getValue(obj, 'TimeoutSeconds');
  const h = getValue(obj, 'HeartbeatSeconds');
  if (t?.type === 'number' && h?.type === 'number' && (h.value as number) >= (t.value as number)) {
    // DG-TASK: the heartbeat interval must be smaller than the timeout
    ctx.report({
      code: 'ASL310',
      ...span(h),
      message: `'HeartbeatSeconds' (${String(h.value)}) must be smaller than 'TimeoutSeconds' (${String(t.value)}).`,
      relatedOffsets: [{ ...span(t), message: 'TimeoutSeconds' }],
    });
  }
  if (s.type === 'Fail') {
    for (const f of ['Error', 'Cause']) {
      const a = keyNode(obj, f);
      const b = keyNode(obj, f + 'Path');
      if (a && b)
        ctx.report({
          code: 'ASL311',
          ...span(b),
          message: `A Fail state cannot have both '${f}' and '${f}Path'.`,
          relatedOffsets: [{ ...span(a), message: `'${f}' is here` }],
          data: { remove: true },
        });
    }
  }
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
    if (params && !keyNode(obj, 'ItemSelector'))
      ctx.report({
        code: 'ASL315',
        ...span(params),
        message: "'Parameters' on a Map state is deprecated: use 'ItemSelector'.",
        tags: ['deprecated'],
        data: { replaceWith: 'ItemSelector' },
      });
  }
}
