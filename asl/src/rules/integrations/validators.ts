/**
 * ajv validators for the integration parameter schemas in schemas/, created once and reused
 * for every document. In the bundles they are precompiled at build time (nothing is compiled
 * at run time); from source (tests, tsx) they are compiled on first use
 * (compileValidators.ts). The module holding them is required only on the first parameter
 * check, so starting the server and documents without ECS/EKS tasks never load it.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ValidatorLookup } from './compileValidators';

export type SchemaError = ErrorObject;

// The bundles are CommonJS and tsx gives sources a require: it is what loads a module on first
// use, synchronously. asl/ is compiled without Node's types, so it is declared here.
declare const require: (id: string) => unknown;

class SchemaValidators {
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly lookup: ValidatorLookup;

  constructor() {
    let lookup: ValidatorLookup = () => undefined;
    try {
      // a lazy require: esbuild keeps it inside this function (see scripts/build.mjs)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require('./compileValidators') as typeof import('./compileValidators');
      lookup = mod.loadValidators();
    } catch {
      /* no validators: parameter checks are skipped rather than failing the document */
    }
    this.lookup = lookup;
  }

  /** The validator for a schema id (e.g. "ecs-run-task"), or undefined when unknown/broken. */
  get(id: string): ValidateFunction | undefined {
    let v = this.compiled.get(id);
    if (v === undefined) {
      try {
        v = this.lookup(id) ?? null;
      } catch {
        v = null;
      }
      this.compiled.set(id, v);
    }
    return v ?? undefined;
  }
}

let instance: SchemaValidators | undefined;

/** The shared validator set (created lazily on the first parameter check). */
export function schemaValidators(): SchemaValidators {
  instance ??= new SchemaValidators();
  return instance;
}
