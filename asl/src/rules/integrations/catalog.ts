/**
 * The ECS/EKS optimized integrations the rules know (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html): a thin adapter over
 * asl/src/integrations so the rules depend on one small shape.
 */
import { findIntegration, listIntegrations } from '../../integrations';
import type { IntegrationAction } from '../../types';

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
