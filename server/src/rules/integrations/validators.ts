/**
 * ajv validators for the integration parameter schemas in schemas/. Every schema is added
 * once and each validator compiled once, on first use, then reused for every document.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { allSchemas, getSchema } from '../../../../asl/src/schemas';

export type SchemaError = ErrorObject;

class SchemaValidators {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor() {
    // strict:false: the schemas carry editor keywords (markdownDescription, defaultSnippets…)
    this.ajv = new Ajv({ allErrors: true, strict: false, verbose: true, validateFormats: false });
    for (const s of allSchemas()) {
      try {
        if (s && typeof s.$id === 'string' && !this.ajv.getSchema(s.$id)) this.ajv.addSchema(s as object);
      } catch {
        /* a broken schema disables only its own checks */
      }
    }
  }

  /** The validator for a schema id (e.g. "ecs-run-task"), or undefined when unknown/broken. */
  get(id: string): ValidateFunction | undefined {
    let v = this.compiled.get(id);
    if (v === undefined) {
      v = null;
      try {
        const schema = getSchema(id);
        const key = schema && typeof schema.$id === 'string' ? schema.$id : undefined;
        v = (key && this.ajv.getSchema(key)) || null;
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
