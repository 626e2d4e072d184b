/**
 * The catalogue of optimized ECS / EKS integrations, keyed by "<service>:<action>".
 * One file per service family; add a family by adding its array here.
 */
import type { IntegrationAction, IntegrationPattern, ParsedResource } from '../types';
import { ECS_ACTIONS } from './ecs';
import { EKS_ACTIONS } from './eks';

export { ecsRunTask, runTaskIam, taskDefinitionArn, ECS_SYNC_EVENTS_RULE } from './ecs';
export {
  eksRunJob,
  eksCall,
  eksCreateCluster,
  eksDeleteCluster,
  eksCreateFargateProfile,
  eksDeleteFargateProfile,
  eksCreateNodegroup,
  eksDeleteNodegroup,
  K8S_RBAC_NOTE,
} from './eks';
export { field, staticString } from './common';
export type { FieldSource } from './common';

const ALL: readonly IntegrationAction[] = [...ECS_ACTIONS, ...EKS_ACTIONS];
const BY_KEY = new Map(ALL.map((a) => [a.key, a]));

/** The integration for "<service>:<action>" (e.g. "ecs:runTask"), if known. */
export function findIntegration(key: string): IntegrationAction | undefined {
  return BY_KEY.get(key);
}

/** Every known integration, in catalogue order (ECS first). */
export function listIntegrations(): readonly IntegrationAction[] {
  return ALL;
}

/** Whether the integration supports the pattern; false for unknown keys. */
export function isPatternSupported(key: string, pattern: IntegrationPattern): boolean {
  return BY_KEY.get(key)?.patterns.includes(pattern) ?? false;
}

/** The integration a parsed Task resource points to (optimized integrations only). */
export function integrationForResource(resource: ParsedResource | undefined): IntegrationAction | undefined {
  return resource?.kind === 'optimized' && resource.key ? BY_KEY.get(resource.key) : undefined;
}

/** Case-insensitive lookup, for "did you mean" on a misspelled action ("ecs:runtask"). */
export function findIntegrationIgnoreCase(key: string): IntegrationAction | undefined {
  const k = key.toLowerCase();
  return ALL.find((a) => a.key.toLowerCase() === k);
}
