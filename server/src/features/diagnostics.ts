/**
 * Diagnostics feature: pushes textDocument/publishDiagnostics after every open/change of a
 * document (coalesced per uri), clears them on close. The work itself is the pure
 * `validateModel` (rules/index.ts), shared with the CLI.
 */
import { DiagnosticsComputedNotification } from '../protocol';
import { describeError } from '../safe';
import type { FeatureContext } from './index';
import { toLspDiagnostic } from './shared/lspDiagnostic';
import { hostedDiagnostics } from '../embedded';

/** Registers the diagnostics feature. */
export function diagnostics(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  const pending = new Map<string, NodeJS.Immediate>();

  const publish = (uri: string): void => {
    pending.delete(uri);
    const start = performance.now();
    let entry: { version: number } | undefined;
    try {
      // a template or Terraform file: the diagnostics of the state machines in it
      const hosted = hostedDiagnostics(documents, uri);
      const machine = hosted ? undefined : documents.get(uri);
      entry = hosted ?? machine;
      if (!entry) return;
      // an empty file is a new machine about to be written (the client offers the templates
      // there), not a broken one; `validate` on the command line still reports it
      const diags = machine?.doc.text.trim() ? machine.diagnostics() : [];
      const lsp = hosted?.diagnostics ?? diags.map((d) => toLspDiagnostic(d, machine!.doc, uri));
      const elapsedMs = performance.now() - start;
      void connection.sendDiagnostics({ uri, version: entry.version, diagnostics: lsp });
      void connection.sendNotification(DiagnosticsComputedNotification, {
        uri,
        version: entry.version,
        count: lsp.length,
        elapsedMs,
        sinceStartMs: performance.now(),
      });
    } catch (err) {
      connection.console.error(`[diagnostics] ${uri}: ${describeError(err)}`);
      // keep the editor consistent: an internal error must not leave stale diagnostics
      void connection.sendDiagnostics({ uri, version: entry?.version, diagnostics: [] });
    }
  };

  const schedule = (uri: string): void => {
    const prev = pending.get(uri);
    if (prev) clearImmediate(prev);
    // validate right after the messages already queued are read: a burst of changes read in
    // one chunk costs one validation, and a lone change is answered without a fixed delay
    pending.set(
      uri,
      setImmediate(() => publish(uri)),
    );
  };

  documents.onDidChange((uri) => schedule(uri));

  documents.onDidClose((uri) => {
    const prev = pending.get(uri);
    if (prev) clearImmediate(prev);
    pending.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  ctx.onSettingsChanged(() => {
    documents.invalidateDiagnostics();
    for (const uri of documents.uris()) schedule(uri);
  });
}
