/**
 * The catalogue of optimized ECS / EKS integrations, keyed by "<service>:<action>".
 * One file per service family; add a family by adding its array here.
 */
import type { IntegrationAction } from '../types';
import { ECS_ACTIONS } from './ecs';
import { EKS_ACTIONS } from './eks';

export { ecsRunTask, taskDefinitionArn } from './ecs';
export { field } from './common';

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
