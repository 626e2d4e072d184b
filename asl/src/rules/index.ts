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
import type { StateFindings } from './reuse';

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

const RULES_WITH_STATE_CHECKS = RULES.filter((r) => r.checkState).length;
/** what a rule found on a state where it found nothing (shared: most rules find nothing on most states) */
const NONE: readonly AslDiagnostic[] = [];

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
 * `findings`, handed to every validation of one document, lets a validation reuse what the
 * previous one found on the states an edit did not touch (rules/reuse.ts).
 */
export function validateModel(
  model: MachineModel,
  options: ValidateOptions = { machineType: 'STANDARD' },
  findings?: StateFindings,
): AslDiagnostic[] {
  const substituted = substituteDocument(model.doc, options.substitutions);
  const checked = substituted ? buildModel(substituted) : model;
  // each rule's findings apart, so that they come out rule by rule whatever order the checks run in
  const found: AslDiagnostic[][] = RULES.map(() => []);
  const contexts = RULES.map((rule, i): RuleContext => ({
    model: checked,
    options,
    report(d) {
      const severity = d.severity ?? rule.codes[d.code]?.severity ?? 'error';
      found[i].push({ ...d, severity });
    },
  }));
  /** the rules whose checkState is still to run: a rule that throws, in check or on a state, runs no further */
  const perState: number[] = [];
  const failed = (i: number, err: unknown): void => {
    found[i].push({
      code: INTERNAL_ERROR_CODE,
      severity: 'error',
      offset: 0,
      length: 0,
      message: `Internal error in rule ${Object.keys(RULES[i].codes).join('/')}: ${err instanceof Error ? err.message : String(err)}`,
    });
  };
  RULES.forEach((rule, i) => {
    try {
      rule.check?.(contexts[i]);
      if (rule.checkState) perState.push(i);
    } catch (err) {
      failed(i, err);
    }
  });
  // per-state findings are kept only while every rule works: a failed rule runs on no further state
  let reuse = findings?.begin(checked, options, perState.length) && perState.length === RULES_WITH_STATE_CHECKS;
  /** how many findings each per-state rule had before the current state */
  const marks: number[] = perState.map(() => 0);
  /** what the per-state rules found on a state where none found anything (most states), shared */
  const nothing = perState.map(() => NONE);
  for (const state of checked.states) {
    const kept = reuse ? findings!.take(state) : undefined;
    if (kept) {
      for (let k = 0; k < perState.length; k++) for (const d of kept[k]) found[perState[k]].push(d);
      continue;
    }
    for (let k = 0; k < perState.length; k++) marks[k] = found[perState[k]].length;
    for (let k = 0; k < perState.length; k++) {
      const i = perState[k];
      try {
        RULES[i].checkState!(state, contexts[i]);
      } catch (err) {
        failed(i, err);
        perState.splice(k--, 1);
        reuse = false;
      }
    }
    if (reuse)
      findings!.keep(
        state,
        perState.some((i, k) => found[i].length > marks[k])
          ? perState.map((i, k) => (found[i].length > marks[k] ? found[i].slice(marks[k]) : NONE))
          : nothing,
      );
  }
  if (reuse) findings!.end();
  else findings?.clear();
  let out = found.flat();
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
