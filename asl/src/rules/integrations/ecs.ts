/**
 * ecs:runTask specifics (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html, https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html): ECS406 LaunchType with CapacityProviderStrategy;
 * ECS407 a ContainerOverrides item without Name; ECS408 Count outside 1–10; ECS409 static
 * Overrides longer than 8,192 characters (ECS rejects them).
 */
import { ecsRunTask } from '../../integrations';
import type { StateInfo } from '../../types';
import type { Rule, RuleContext } from '../types';
import { getValue, items, keyNode } from '../../parse/tree';
import { span } from '../util';
import { payloadNode, staticValue } from './payload';

/** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html: the whole overrides JSON is limited to 8,192 characters. */
export const MAX_OVERRIDES_CHARS = 8192;

export const ecs: Rule = {
  codes: {
    ECS406: { severity: 'error', title: 'LaunchType and CapacityProviderStrategy are mutually exclusive' },
    ECS407: { severity: 'error', title: 'ContainerOverrides item without Name' },
    ECS408: { severity: 'error', title: 'Count must be between 1 and 10' },
    ECS409: { severity: 'error', title: 'Overrides longer than 8,192 characters' },
  },
  checkState(s, ctx) {
    if (
      s.type === 'Task' &&
      s.resource?.kind === 'optimized' &&
      s.resource.key === 'ecs:runTask' &&
      s.node.type === 'object'
    )
      checkRunTask(s, ctx);
  },
};

/** Key node of `name` or `name.$`. */
function anyKey(obj: Parameters<typeof keyNode>[0], name: string) {
  return keyNode(obj, name) ?? keyNode(obj, name + '.$');
}

function checkRunTask(s: StateInfo, ctx: RuleContext): void {
  const { node } = payloadNode(s);
  if (!node || node.type !== 'object') return;
  for (const [a, b] of ecsRunTask.exclusiveParameters ?? []) {
    const first = anyKey(node, a);
    const second = anyKey(node, b);
    if (!first || !second) continue;
    ctx.report({
      code: 'ECS406',
      ...span(first),
      message: `'${a}' cannot be combined with '${b}': ECS rejects the request. Remove one of them.`,
      relatedOffsets: [{ ...span(second), message: `${b} is here` }],
      data: { remove: true },
    });
  }
  const count = getValue(node, 'Count');
  if (
    count?.type === 'number' &&
    Number.isInteger(count.value) &&
    ((count.value as number) < 1 || (count.value as number) > 10)
  ) {
    ctx.report({
      code: 'ECS408',
      ...span(count),
      message: `'Count' must be between 1 and 10 (one RunTask call starts at most 10 tasks); it is ${String(count.value)}.`,
      data: { replaceWith: (count.value as number) < 1 ? '1' : '10' },
    });
  }
  const overrides = getValue(node, 'Overrides');
  if (!overrides || overrides.type !== 'object') return;
  for (const item of items(getValue(overrides, 'ContainerOverrides'))) {
    if (item.type === 'object' && !anyKey(item, 'Name')) {
      ctx.report({
        code: 'ECS407',
        offset: item.offset,
        length: 1,
        message:
          "Each ContainerOverrides item needs 'Name' (the container to override), otherwise ECS rejects the overrides.",
        data: { missing: ['Name'] },
      });
    }
  }
  // only the statically known part counts; dynamic values would make it longer still
  if (overrides.length > MAX_OVERRIDES_CHARS / 2) {
    const size = JSON.stringify(staticValue(overrides)).length;
    if (size > MAX_OVERRIDES_CHARS) {
      ctx.report({
        code: 'ECS409',
        ...span(keyNode(node, 'Overrides')!),
        message: `'Overrides' is ${size} characters as JSON; ECS accepts at most ${MAX_OVERRIDES_CHARS}.`,
      });
    }
  }
}
