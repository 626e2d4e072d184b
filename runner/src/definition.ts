/**
 * From a definition as the API accepts it — an object, JSON or YAML text, or an asl/ model —
 * to a compiled machine: one parse into the asl/ positioned tree, the model, then compile.
 *
 * An object is serialised once, as JSON.stringify writes it: that text is the cache key, the
 * text the model's positions refer to, and what an SDK would send as the definition (so the
 * rules measure its size as AWS would). The last few compiled machines are kept by their text, so
 * running one machine many times — `serve`, repeated runs from the editor, test suites —
 * parses and compiles it once. A compiled machine is never written to while it runs.
 */
import { buildModel } from '../../asl/src/model';
import { parseDocument } from '../../asl/src/parse/index';
import { substituteDocument, type Substitutions } from '../../asl/src/substitutions';
import { StatesError, type MachineModel, type ParsedDocument, type ParseProblem } from '../../asl/src/types';
import { compileMachine, type Machine } from './interpreter/machine';

/** What `RunOptions.definition` takes. */
export type DefinitionSource = object | string | MachineModel;

/** How many compiled machines are kept, and how much definition text they may hold in all. */
const CACHE_ENTRIES = 8;
const CACHE_TEXT_CHARS = 4 * 1024 * 1024;

interface Entry extends CompiledDefinition {
  /** 'text' for definition text, 'object' for the compact JSON of an object */
  kind: 'text' | 'object';
  substitutions: string;
}

/** A compiled machine and the model it comes from, as written (validation checks that one). */
export interface CompiledDefinition {
  machine: Machine;
  model: MachineModel;
}

const cache = new Map<string, Entry>();
let cachedChars = 0;

/**
 * The compiled machine of a definition with `substitutions` applied. Throws a StatesError
 * (States.Runtime) when text is neither JSON nor YAML (or a model's document has syntax
 * errors), or the definition is not an object.
 */
export function machineOf(definition: DefinitionSource, substitutions?: Substitutions): CompiledDefinition {
  if (isMachineModel(definition)) {
    const error = firstError(definition.doc);
    if (error) throw syntaxError(definition.doc, error);
    checkRoot(definition.doc);
    return { machine: compileMachine(withSubstitutions(definition, substitutions)), model: definition };
  }
  const kind = typeof definition === 'string' ? 'text' : 'object';
  const key = typeof definition === 'string' ? definition : compactJson(definition);
  const subsKey = substitutions && Object.keys(substitutions).length ? JSON.stringify(substitutions) : '';
  const hit = cache.get(key);
  if (hit && hit.kind === kind && hit.substitutions === subsKey) {
    // most recently used last
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const doc = typeof definition === 'string' ? documentOf(definition) : parseDocument(key, 'json');
  checkRoot(doc);
  const model = buildModel(doc);
  const entry: Entry = {
    kind,
    substitutions: subsKey,
    machine: compileMachine(withSubstitutions(model, substitutions)),
    model,
  };
  remember(key, entry);
  return entry;
}

/** True for an asl/ MachineModel (rather than a definition object). */
function isMachineModel(v: DefinitionSource): v is MachineModel {
  const m = v as Partial<MachineModel>;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(m.scopes) &&
    Array.isArray(m.states) &&
    typeof m.doc?.text === 'string'
  );
}

function withSubstitutions(model: MachineModel, substitutions: Substitutions | undefined): MachineModel {
  const substituted = substituteDocument(model.doc, substitutions);
  return substituted ? buildModel(substituted) : model;
}

function compactJson(definition: object): string {
  try {
    return JSON.stringify(definition);
  } catch (e) {
    throw new StatesError('States.Runtime', `The definition cannot be serialized as JSON: ${(e as Error).message}`);
  }
}

/**
 * Parses definition text: JSON when it starts with `{` and parses as JSON, YAML otherwise
 * (YAML's flow style also starts with `{`).
 */
function documentOf(text: string): ParsedDocument {
  let json: ParsedDocument | undefined;
  if (/^\s*\{/.test(text)) {
    json = parseDocument(text, 'json');
    if (!firstError(json)) return json;
  }
  const yaml = parseDocument(text, 'yaml');
  if (!firstError(yaml)) return yaml;
  const failed = json ?? yaml;
  throw syntaxError(failed, firstError(failed)!);
}

function firstError(doc: ParsedDocument): ParseProblem | undefined {
  return doc.problems.find((p) => p.severity === 'error');
}

function syntaxError(doc: ParsedDocument, error: ParseProblem): StatesError {
  const at = doc.positionAt(error.offset);
  return new StatesError(
    'States.Runtime',
    `The definition is neither JSON nor YAML: ${error.message} (${doc.format.toUpperCase()}, line ${at.line + 1}, column ${at.character + 1})`,
  );
}

function checkRoot(doc: ParsedDocument): void {
  if (doc.root?.type !== 'object') throw new StatesError('States.Runtime', 'The definition must be a JSON object');
}

function remember(key: string, entry: Entry): void {
  if (key.length > CACHE_TEXT_CHARS) return;
  const old = cache.get(key);
  if (old) {
    cache.delete(key);
    cachedChars -= key.length;
  }
  cache.set(key, entry);
  cachedChars += key.length;
  for (const k of cache.keys()) {
    if (cache.size <= CACHE_ENTRIES && cachedChars <= CACHE_TEXT_CHARS) break;
    cache.delete(k);
    cachedChars -= k.length;
  }
}
