/**
 * The run config's `substitutions` as validation options for an open document. The editor
 * uses the same lookup as `asl-workbench run` and `validate` (asl/src/runConfig.ts), so a
 * definition is checked with the placeholder values a local run puts in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_CONFIG_NAME, substitutionsFor } from '../../asl/src/runConfig';
import type { ValidateOptions } from '../../asl/src/rules/types';

/** Glob of the files whose change can change diagnostics (watched when the client allows it). */
export const RUN_CONFIG_GLOB = `**/${RUN_CONFIG_NAME}`;

/** Substitution options for a document uri; none for unsaved (non-file) documents or on any I/O error. */
export function substitutionOptions(uri: string): Pick<ValidateOptions, 'substitutions' | 'substitutionsSource'> {
  if (!uri.startsWith('file:')) return {};
  try {
    const s = substitutionsFor(fileURLToPath(uri), { fs, path });
    return s ? { substitutions: s.values, substitutionsSource: path.basename(s.file) } : {};
  } catch {
    return {};
  }
}
