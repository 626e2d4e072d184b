/**
 * A rule diagnostic as the LSP sends it: published by the diagnostics feature, and matched
 * against the client's diagnostics by the code actions that fix them.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { ParsedDocument } from '../../../../asl/src/types';
import { ruleHref } from '../../../../asl/src/rules';
import type { AslDiagnostic, Severity } from '../../../../asl/src/rules/types';

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
