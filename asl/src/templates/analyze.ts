/**
 * Analysis of an embedded definition, with its diagnostics moved into the host text. The
 * host's literal substitution values (DefinitionSubstitutions, Fn::Sub variables) apply
 * unless the caller gives others; placeholders the template itself fills (Ref, Fn::GetAtt,
 * pseudo parameters) are not reported as missing substitutions.
 */
import { analyze, type Analysis } from '../analyze';
import { PLACEHOLDER_CODE } from '../rules/placeholders';
import type { AslDiagnostic, ValidateOptions } from '../rules/types';
import type { EmbeddedMachine, HostDiagnostic } from './types';

export interface MachineAnalysis {
  /** the analysis of the virtual text (virtual offsets); undefined when there is no text to analyse */
  analysis: Analysis | undefined;
  /** every diagnostic, host diagnostics included, in host offsets, sorted */
  diagnostics: AslDiagnostic[];
  /** the analysis's diagnostics kept for the host, in virtual offsets (for a definition in its own file) */
  definitionDiagnostics: AslDiagnostic[];
  /** the machine's host diagnostics alone */
  hostDiagnostics: AslDiagnostic[];
}

const STANDARD: ValidateOptions = { machineType: 'STANDARD' };

/**
 * The options a machine's definition is checked with: the host's substitutions (the
 * caller's win), named as the template's when the caller gives none, and what fills the
 * placeholders at deployment.
 */
export function machineOptions(m: EmbeddedMachine, options: ValidateOptions): ValidateOptions {
  return {
    ...options,
    substitutions: { ...m.substitutions, ...options.substitutions },
    substitutionsSource: options.substitutionsSource ?? (options.substitutions ? undefined : 'the template'),
    placeholdersFilledBy: m.hostKind === 'terraform' ? 'terraform' : undefined,
  };
}

/**
 * Analyses a machine's definition with the host's substitutions (the caller's win) and moves
 * its diagnostics into the host text, clamped to the definition's host range.
 */
export function analyzeMachine(m: EmbeddedMachine, options: ValidateOptions = STANDARD): MachineAnalysis {
  const host = m.hostDiagnostics.map(fromHostDiagnostic);
  if (!m.text && m.hostDiagnostics.length)
    return { analysis: undefined, diagnostics: host, definitionDiagnostics: [], hostDiagnostics: host };
  const checked = machineOptions(m, options);
  const substitutions = checked.substitutions ?? {};
  const analysis = analyze(m.text, m.format, checked);
  const clamp = (h: number) => Math.max(m.hostRange.start, Math.min(m.hostRange.end, h));
  const toHostEnd = m.toHostEnd ?? m.toHost;
  const kept = filterPlaceholderNotes(m, analysis.diagnostics, substitutions);
  const mapped = kept.map((d): AslDiagnostic => {
    const start = clamp(m.toHost(d.offset));
    const end = Math.max(start, clamp(d.length ? toHostEnd(d.offset + d.length) : start));
    return {
      ...d,
      offset: start,
      length: end - start,
      relatedOffsets: d.relatedOffsets?.map((r) => {
        const rs = clamp(m.toHost(r.offset));
        return { ...r, offset: rs, length: Math.max(rs, clamp(toHostEnd(r.offset + r.length))) - rs };
      }),
    };
  });
  const diagnostics = [...mapped, ...host].sort((a, b) => a.offset - b.offset);
  return { analysis, diagnostics, definitionDiagnostics: kept, hostDiagnostics: host };
}

function fromHostDiagnostic(d: HostDiagnostic): AslDiagnostic {
  return { code: d.code, severity: d.severity, offset: d.start, length: d.end - d.start, message: d.message };
}

/**
 * Drops the "set a substitution" notes (ASL114) about placeholders the template fills itself:
 * an ARN-shaped value (Fn::GetAtt …Arn, a Ref that returns an ARN) satisfies an ARN field, and
 * a pseudo parameter or a Ref needs no value from the user. A note that states what a value
 * must satisfy stays for placeholders whose value is not known to be an ARN.
 */
export function filterPlaceholderNotes(
  m: EmbeddedMachine,
  diags: AslDiagnostic[],
  substitutions: Record<string, unknown>,
): AslDiagnostic[] {
  if (!m.placeholders.length) return diags;
  return diags.filter((d) => {
    if (d.code !== PLACEHOLDER_CODE) return true;
    const inside = m.placeholders.filter(
      (p) =>
        p.start >= d.offset &&
        p.end <= d.offset + d.length &&
        !Object.prototype.hasOwnProperty.call(substitutions, p.name),
    );
    if (!inside.length || !inside.every((p) => p.defined)) return true;
    const constrained = d.message.includes('the value must satisfy');
    return constrained && !inside.every((p) => p.kind === 'arn');
  });
}
