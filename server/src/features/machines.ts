/**
 * The `aslWorkbench/embeddedMachines` request: the state machines of an open template or
 * Terraform file, for the client's machine pick, code lenses and Run Locally.
 */
import { EmbeddedMachinesRequest, type EmbeddedMachinesResult } from '../protocol';
import { PSEUDO_PARAMETER_STAND_INS } from '../../../asl/src/templates';
import { guard } from '../safe';
import type { FeatureContext } from './index';

/** Registers the embeddedMachines request handler. */
export function machines(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  connection.onRequest(
    EmbeddedMachinesRequest,
    guard(connection, 'embeddedMachines', null, (p): EmbeddedMachinesResult | null => {
      const host = documents.textDocument(p.uri);
      if (!host) return null;
      return {
        version: host.version,
        machines: documents.machines(p.uri).map(({ machine: m }) => ({
          id: m.id,
          hostKind: m.hostKind,
          range: { start: host.positionAt(m.hostRange.start), end: host.positionAt(m.hostRange.end) },
          definition: m.text,
          format: m.format,
          substitutions: m.substitutions,
          placeholders: [...new Set(m.placeholders.map((x) => x.name))],
          localValues: localValues(m.placeholders.map((x) => x.name)),
          ...(m.definitionFile !== undefined ? { definitionFile: m.definitionFile } : {}),
        })),
      };
    }),
  );
}

/** The stand-in values of the pseudo parameters a definition uses. */
function localValues(names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (Object.hasOwn(PSEUDO_PARAMETER_STAND_INS, n)) out[n] = PSEUDO_PARAMETER_STAND_INS[n];
  return out;
}
