/**
 * The rule registry and the pure validation entry point shared by the language server and
 * the CLI. A new rule is one new file plus one line in RULES.
 */
import { buildModel } from '../model';
import { substituteDocument } from '../substitutions';
import type { MachineModel, Severity } from '../types';
import { syntax } from './syntax';
import { stateFields } from './stateFields';
import { references } from './references';
import { reachability } from './reachability';
import { names } from './names';
import { payloadPaths } from './paths';
import { jsonata } from './jsonata';
import { retryCatch } from './retryCatch';
import { choice } from './choice';
import { stateControl } from './stateControl';
import { taskPatterns } from './integrations/patterns';
import { integrationParameters } from './integrations/parameters';
import { ecs } from './integrations/ecs';
import { eks } from './integrations/eks';
import { limits } from './limits';
import { PLACEHOLDER_CODES, settlePlaceholders } from './placeholders';
import type { AslDiagnostic, Rule, RuleContext, ValidateOptions } from './types';

/** Every rule, in the order they run (order only matters for equal positions). */
export const RULES: readonly Rule[] = [
  syntax,
  stateFields,
  references,
  reachability,
  names,
  payloadPaths,
  jsonata,
  retryCatch,
  choice,
  stateControl,
  taskPatterns,
  integrationParameters,
  ecs,
  eks,
  limits,
];

/** Code emitted when a rule itself failed (a bug); the fuzz test asserts it never appears. */
export const INTERNAL_ERROR_CODE = 'ASL000';

/** Base of the rule documentation links (docs/rules/<CODE>.md is published there). */
export const RULE_DOCS_BASE = 'https://asl-workbench.dev/rules/';

/** The documentation link of a rule code (LSP codeDescription.href, SARIF helpUri). */
export function ruleHref(code: string): string {
  return RULE_DOCS_BASE + code;
}

/** Every code with its default severity and title (for SARIF rules and docs). */
export function ruleCatalog(): Map<string, { severity: Severity; title: string }> {
  const out = new Map<string, { severity: Severity; title: string }>();
  out.set(INTERNAL_ERROR_CODE, { severity: 'error', title: 'Internal error in a validation rule' });
  for (const [code, info] of Object.entries(PLACEHOLDER_CODES)) out.set(code, info);
  for (const r of RULES) for (const [code, info] of Object.entries(r.codes)) out.set(code, info);
  return out;
}

/**
 * Validates a modelled document: syntax problems plus every rule. Pure and total: never
 * throws; a crashing rule yields one ASL000 diagnostic instead. Results are sorted by offset.
 * With `options.substitutions`, the rules check the definition with those placeholder values
 * put in (same offsets); placeholders are then settled by rules/placeholders.ts.
 */
export function validateModel(
  model: MachineModel,
  options: ValidateOptions = { machineType: 'STANDARD' },
): AslDiagnostic[] {
  const substituted = substituteDocument(model.doc, options.substitutions);
  const checked = substituted ? buildModel(substituted) : model;
  let out: AslDiagnostic[] = [];
  for (const rule of RULES) {
    const ctx: RuleContext = {
      model: checked,
      options,
      report(d) {
        const severity = d.severity ?? rule.codes[d.code]?.severity ?? 'error';
        out.push({ ...d, severity });
      },
    };
    try {
      rule.check(ctx);
    } catch (err) {
      out.push({
        code: INTERNAL_ERROR_CODE,
        severity: 'error',
        offset: 0,
        length: 0,
        message: `Internal error in rule ${Object.keys(rule.codes).join('/')}: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  // ranges always lie inside the text (a parser may point one past the end)
  const len = model.doc.text.length;
  for (const d of out) {
    if (!(d.offset >= 0)) d.offset = 0;
    if (d.offset > len) d.offset = len;
    if (!(d.length >= 0)) d.length = 0;
    if (d.offset + d.length > len) d.length = len - d.offset;
  }
  try {
    out = settlePlaceholders(model.doc, out, options);
  } catch (err) {
    out.push({
      code: INTERNAL_ERROR_CODE,
      severity: 'error',
      offset: 0,
      length: 0,
      message: `Internal error while settling placeholders: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  out.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
  return dedupe(out);
}

/** Drops exact duplicates (same code, range and message), which overlapping scopes can produce. */
function dedupe(list: AslDiagnostic[]): AslDiagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.code}|${d.offset}|${d.length}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
