/**
 * From a state machine's text to what it means and what is wrong with it: parse → positioned
 * tree → model → rules. The language server's document cache, the CLI, `serve` and the
 * runner's API all take this one path. Never throws: parse, model and rules are total.
 */
import { buildModel } from './model';
import { parseDocument } from './parse';
import { validateModel } from './rules';
import type { AslDiagnostic, ValidateOptions } from './rules/types';
import type { DocumentFormat, MachineModel, ParsedDocument } from './types';
import {
  InvalidDefinitionError,
  invalidDefinitionMessage,
  type LocatedError,
  type ValidationPolicy,
} from './validation';

/** A definition analysed under one set of validation options. */
export interface Analysis {
  doc: ParsedDocument;
  model: MachineModel;
  /**
   * Every diagnostic, sorted by offset. Computed on first read and then kept: an editor
   * parses on every keystroke and answers completion or hover before it validates.
   */
  readonly diagnostics: AslDiagnostic[];
}

const STANDARD: ValidateOptions = { machineType: 'STANDARD' };

/** Parses, models and (on first read of `diagnostics`) validates `text`. */
export function analyze(text: string, format: DocumentFormat, options: ValidateOptions = STANDARD): Analysis {
  const doc = parseDocument(text, format);
  return analysisOf(doc, buildModel(doc), options);
}

/** The analysis of an already modelled definition (the runner's API accepts a model). */
export function analysisOf(doc: ParsedDocument, model: MachineModel, options: ValidateOptions = STANDARD): Analysis {
  let diagnostics: AslDiagnostic[] | undefined;
  return {
    doc,
    model,
    get diagnostics() {
      return (diagnostics ??= validateModel(model, options));
    },
  };
}

/** The errors of an analysis (not warnings or hints), positioned in its text. */
export function errorsOf(analysis: Analysis): LocatedError[] {
  return analysis.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, message: d.message, ...analysis.doc.positionAt(d.offset) }));
}

/**
 * Applies a validation policy. Without errors: undefined. With errors: `refuse` throws an
 * InvalidDefinitionError, `warn` returns the message for the caller to report before it runs.
 */
export function enforceValidation(analysis: Analysis, policy: ValidationPolicy): string | undefined {
  const errors = errorsOf(analysis);
  if (!errors.length) return undefined;
  const message = invalidDefinitionMessage(errors);
  if (policy === 'refuse') throw new InvalidDefinitionError(message, errors);
  return message;
}
