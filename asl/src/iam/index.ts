/**
 * IAM policies Step Functions generates for ECS / EKS Task states (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html), for one
 * state or a whole machine, plus the Kubernetes RBAC note for runJob / call.
 */
import type { IamContext, IamStatement, MachineModel, StateInfo } from '../types';
import { findIntegration } from '../integrations/index';
import { getValue, nodeValue } from '../parse/tree';
import { mergeStatements } from './merge';

export { mergeStatements } from './merge';
export { inferredStatementsNote } from './sid';

/** An IAM policy document. */
export interface IamPolicy {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** Placeholders used when region / account are not configured. */
export const REGION_PLACEHOLDER = '${Region}';
export const ACCOUNT_PLACEHOLDER = '${AccountId}';

/** Fills missing context values with placeholders (partition defaults to aws). */
export function iamContext(ctx: Partial<IamContext> = {}): IamContext {
  return {
    region: ctx.region || REGION_PLACEHOLDER,
    account: ctx.account || ACCOUNT_PLACEHOLDER,
    partition: ctx.partition || 'aws',
  };
}

/**
 * The payload the integration receives: `Parameters` (JSONPath) or `Arguments` (JSONata) as
 * a plain value; a JSONata `Arguments` string stays a string (everything dynamic).
 */
export function taskPayload(state: StateInfo): unknown {
  const node = getValue(state.node, state.queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters');
  return node ? nodeValue(node) : undefined;
}

/** Raw (unmerged) statements for one Task state; [] for anything else. */
function statementsFor(state: StateInfo, ctx: IamContext): IamStatement[] {
  const r = state.resource;
  if (state.type !== 'Task' || !r) return [];
  // the partition of the Resource ARN wins over the configured one
  const c: IamContext = { ...ctx, partition: r.partition ?? ctx.partition };
  if (r.kind === 'optimized' && r.key) {
    const integration = findIntegration(r.key);
    if (!integration) return [];
    try {
      return integration.iam(taskPayload(state), r.pattern, c);
    } catch {
      return [];
    }
  }
  return [];
}

/** The policy for one state (merged, ordered). */
export function policyForState(state: StateInfo, ctx: Partial<IamContext> = {}): IamPolicy {
  return { Version: '2012-10-17', Statement: mergeStatements(statementsFor(state, iamContext(ctx))) };
}

/** The policy for every Task state of the machine, nested scopes included. */
export function policyForMachine(model: MachineModel, ctx: Partial<IamContext> = {}): IamPolicy {
  const c = iamContext(ctx);
  const all: IamStatement[] = [];
  for (const s of model.states) all.push(...statementsFor(s, c));
  return { Version: '2012-10-17', Statement: mergeStatements(all) };
}

/** The sorted IAM actions one state needs (for a code lens / hover line). */
export function iamActionsForState(state: StateInfo): string[] {
  const actions = new Set<string>();
  for (const s of statementsFor(state, iamContext())) for (const a of s.Action) actions.add(a);
  return [...actions].sort();
}

/** The Kubernetes RBAC note for eks:runJob / eks:call states; undefined otherwise. */
export function kubernetesRbacNote(state: StateInfo): string | undefined {
  const key = state.resource?.kind === 'optimized' ? state.resource.key : undefined;
  if (key !== 'eks:runJob' && key !== 'eks:call') return undefined;
  return findIntegration(key)?.notes;
}

/** Notes that go with a machine's policy (RBAC, roles of task definitions), one per integration used. */
export function policyNotes(model: MachineModel): { key: string; states: string[]; note: string }[] {
  const byKey = new Map<string, { key: string; states: string[]; note: string }>();
  for (const s of model.states) {
    const key = s.type === 'Task' && s.resource?.kind === 'optimized' ? s.resource.key : undefined;
    const note = key ? findIntegration(key)?.notes : undefined;
    if (!key || !note) continue;
    const entry = byKey.get(key) ?? { key, states: [], note };
    entry.states.push(s.name);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}
