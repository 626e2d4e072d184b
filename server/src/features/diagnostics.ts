/**
 * Diagnostics feature: pushes textDocument/publishDiagnostics after every open/change of a
 * document (coalesced per uri), clears them on close. The work itself is the pure
 * `validateModel` (rules/index.ts), shared with the CLI.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { ParsedDocument } from '../../../asl/src/types';
import { DiagnosticsComputedNotification, ValidateTextRequest } from '../protocol';
import { analyze } from '../core';
import { ruleHref, validateModel } from '../rules';
import type { AslDiagnostic, Severity } from '../rules/types';
import { describeError, guard } from '../safe';
import type { FeatureContext } from './index';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Converts a rule diagnostic to an LSP Diagnostic (range, code, href, data, related info). */
export function toLspDiagnostic(d: AslDiagnostic, doc: ParsedDocument, uri: string): Diagnostic {
  const out: Diagnostic = {
    range: doc.rangeOf(d.offset, d.length),
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: ruleHref(d.code) },
    source: 'asl-workbench',
    message: d.message,
  };
  if (d.data !== undefined) out.data = d.data;
  if (d.tags?.length) {
    out.tags = d.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  }
  if (d.relatedOffsets?.length) {
    out.relatedInformation = d.relatedOffsets.map((r) => ({
      location: { uri, range: doc.rangeOf(r.offset, r.length) },
      message: r.message,
    }));
  }
  return out;
}

/** Registers the diagnostics feature. */
export function diagnostics(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  const pending = new Map<string, NodeJS.Immediate>();

  const publish = (uri: string): void => {
    pending.delete(uri);
    const start = performance.now();
    let entry;
    try {
      entry = documents.get(uri);
      if (!entry) return;
      const diags = entry.diagnostics();
      const lsp = diags.map((d) => toLspDiagnostic(d, entry!.doc, uri));
      const elapsedMs = performance.now() - start;
      void connection.sendDiagnostics({ uri, version: entry.version, diagnostics: lsp });
      void connection.sendNotification(DiagnosticsComputedNotification, {
        uri,
        version: entry.version,
        count: lsp.length,
        elapsedMs,
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

  connection.onRequest(
    ValidateTextRequest,
    guard(connection, 'validateText', { diagnostics: [] }, (params) => {
      const { model } = analyze(String(params.text ?? ''), params.format === 'yaml' ? 'yaml' : 'json');
      const diags = validateModel(model, {
        machineType: params.machineType === 'EXPRESS' ? 'EXPRESS' : ctx.settings().machineType,
      });
      return {
        diagnostics: diags.map(({ code, severity, message, offset, length }) => ({
          code,
          severity,
          message,
          offset,
          length,
        })),
      };
    }),
  );
}
