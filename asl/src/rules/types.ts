/**
 * Types shared by every diagnostic rule, the server and the CLI. Rules are pure: they read the
 * asl model and return diagnostics with document offsets; the server/CLI convert to ranges.
 */
import type { Substitutions } from '../substitutions';
import type { MachineModel, Severity, StateInfo } from '../types';

export type { Severity };

/** The state machine type; Express machines only support request-response integrations. */
export type MachineType = 'STANDARD' | 'EXPRESS';

export interface ValidateOptions {
  machineType: MachineType;
  /**
   * Values of `${Name}` definition-substitution placeholders (the run config's
   * `substitutions`); placeholders without a value are not type-checked (rules/placeholders.ts)
   */
  substitutions?: Substitutions;
  /** where `substitutions` come from, for messages (e.g. the run config's file name) */
  substitutionsSource?: string;
  /**
   * what fills the `${Name}` placeholders when the definition is deployed, for messages:
   * `terraform` for a definition in a `.tf` file; DefinitionSubstitutions of SAM,
   * CloudFormation or CDK when absent
   */
  placeholdersFilledBy?: 'terraform';
}

/** One diagnostic, positioned by UTF-16 offsets into the document text. */
export interface AslDiagnostic {
  /** stable rule code, e.g. "ASL101", "ECS401" */
  code: string;
  severity: Severity;
  offset: number;
  length: number;
  message: string;
  /** machine-readable fix hints for quick fixes, e.g. {replaceWith:'Cluster'} */
  data?: DiagnosticData;
  relatedOffsets?: { offset: number; length: number; message: string }[];
  tags?: ('unnecessary' | 'deprecated')[];
}

/**
 * Fix hints. Every field is optional; code actions read the ones they understand.
 * - replaceWith: replace the diagnostic's range (a key name or a string value) by this text
 *   (for keys/strings: the bare text, without quotes)
 * - missing: names of fields to add (in the object that owns the diagnostic range)
 * - remove: the range is a property (key) that should be removed
 * - suggestions: alternative replacements (did-you-mean list, best first)
 */
export interface DiagnosticData {
  replaceWith?: string;
  suggestions?: string[];
  missing?: string[];
  remove?: boolean;
  [key: string]: unknown;
}

/** Context handed to each rule; computed once per validation. */
export interface RuleContext {
  model: MachineModel;
  options: ValidateOptions;
  /** report a diagnostic (severity defaults to the rule's default) */
  report(d: Omit<AslDiagnostic, 'severity'> & { severity?: Severity }): void;
}

/** A diagnostic rule family: one file, one or more codes. */
export interface Rule {
  /** codes this rule can emit, with their default severity and a one-line title */
  codes: Record<string, { severity: Severity; title: string }>;
  /** runs once over the whole model */
  check?(ctx: RuleContext): void;
  /**
   * runs on each state of model.states in turn, after `check`. Validation runs every rule's
   * checkState on one state before it moves to the next, so a large machine's states are read
   * from memory once rather than once per rule.
   */
  checkState?(state: StateInfo, ctx: RuleContext): void;
}
