/**
 * The `aslWorkbench/stateGraph` request (graph preview): the graph of the cached model of an
 * open document, with each node's highest diagnostic severity, for the version the server
 * holds now (the client drops answers older than what it already shows).
 */
import { buildGraph } from '../../../asl/src/graph/build';
import { StateGraphRequest, type StateGraphResult } from '../protocol';
import { guard } from '../safe';
import type { FeatureContext } from './index';

/** Registers the stateGraph request handler. */
export function stateGraph(ctx: FeatureContext): void {
  ctx.connection.onRequest(
    StateGraphRequest,
    guard(ctx.connection, 'stateGraph', null, (params): StateGraphResult | null => {
      const entry = ctx.documents.get(params.uri);
      if (!entry) return null;
      return { version: entry.version, graph: buildGraph(entry.model, entry.diagnostics()) };
    }),
  );
}
