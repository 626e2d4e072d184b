/**
 * Where a position inside a Task's request payload lands: the ECS/EKS integration the Task
 * calls and the path below its `Parameters` (JSONPath) or `Arguments` (JSONata). Completion
 * offers the parameter names there, hover documents them, quick fixes fill them in.
 */
import { findIntegration } from '../../../../asl/src/integrations';
import type { TreePathSegment } from '../../../../asl/src/parse/tree';
import type { IntegrationAction, StateInfo } from '../../../../asl/src/types';

/** The integration and the path inside its parameters, when `rel` (a path below `state`) is in an ECS/EKS payload. */
export function payloadContext(
  state: StateInfo | undefined,
  rel: TreePathSegment[],
): { integration: IntegrationAction; sub: TreePathSegment[] } | undefined {
  if (!state || state.type !== 'Task' || !state.resource?.key) return undefined;
  const field = state.queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters';
  if (rel[0] !== field) return undefined;
  const integration = safeFind(state.resource.key);
  return integration ? { integration, sub: rel.slice(1) } : undefined;
}

function safeFind(key: string): IntegrationAction | undefined {
  try {
    return findIntegration(key) ?? undefined;
  } catch {
    return undefined;
  }
}
