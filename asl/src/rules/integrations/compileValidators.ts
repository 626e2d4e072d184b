/**
 * Run-time compilation of the integration parameter validators with ajv. This is the source
 * (and test) path: in the dist bundles scripts/build.mjs replaces this module with validators
 * precompiled at build time (ajv standalone code, see scripts/build-validators.mjs), so the
 * language server compiles nothing when it validates its first document.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { allSchemas, getSchema } from '../../schemas';

/** ajv options shared with the build-time generator (scripts/build-validators.mjs). */
export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true, validateFormats: false } as const;

/** Looks a validator up by schema id; undefined when the id is unknown or its schema broken. */
export type ValidatorLookup = (id: string) => ValidateFunction | undefined;

/** Adds every bundled schema to one ajv instance; each validator compiles on first lookup. */
export function loadValidators(): ValidatorLookup {
  // strict:false: the schemas carry editor keywords (markdownDescription, defaultSnippets…)
  const ajv = new Ajv(AJV_OPTIONS);
  for (const s of allSchemas()) {
    try {
      if (s && typeof s.$id === 'string' && !ajv.getSchema(s.$id)) ajv.addSchema(s as object);
    } catch {
      /* a broken schema disables only its own checks */
    }
  }
  return (id) => {
    const schema = getSchema(id);
    const key = schema && typeof schema.$id === 'string' ? schema.$id : undefined;
    return (key && ajv.getSchema(key)) || undefined;
  };
}
