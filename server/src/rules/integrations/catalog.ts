/**
 * The ECS/EKS optimized integrations the rules know (reference §1.1, §2): a thin adapter over
 * asl/src/integrations so the rules depend on one small shape.
 */
import { findIntegration, listIntegrations } from '../../../../asl/src/integrations';
import type { IntegrationAction } from '../../../../asl/src/types';

export type KnownAction = Pick<IntegrationAction, 'key' | 'service' | 'action' | 'patterns' | 'parametersSchemaId'>;

/** The known action for "<service>:<action>", or undefined. */
export function findAction(key: string | undefined): KnownAction | undefined {
  return key ? findIntegration(key) : undefined;
}

/** Action names of a service (for did-you-mean). */
export function actionsOf(service: string): string[] {
  return listIntegrations()
    .filter((a) => a.service === service)
    .map((a) => a.action);
}

/** Services whose optimized actions we validate. */
export function isCheckedService(service: string | undefined): service is 'ecs' | 'eks' {
  return service === 'ecs' || service === 'eks';
}
