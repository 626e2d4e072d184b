/**
 * Public API of Step Functions' JSONPath dialect, reference paths, the context object,
 * intrinsic functions and JSONPath payload templates (reference §6.3, §6.9, §6.10).
 */
export { parseJsonPath, parseReferencePath, isIdentStart, isIdentPart, type ReferencePathOptions } from './jsonpath';
export { evaluateJsonPath, type PathResult } from './evaluate';
export { parseIntrinsic, MAX_INTRINSIC_DEPTH } from './intrinsicParse';
export {
  INTRINSICS,
  HASH_ALGORITHMS,
  ARRAY_RANGE_MAX,
  INTRINSIC_MAX_STRING,
  validateIntrinsic,
  suggestIntrinsic,
  countPlaceholders,
  argKindAt,
  type IntrinsicInfo,
  type IntrinsicArgKind,
} from './intrinsicCatalog';
export { evaluateIntrinsic } from './intrinsicEval';
export {
  parseJsonPathCached,
  parseIntrinsicCached,
  classifyDollarValue,
  evaluatePayloadTemplate,
  applyResultPath,
  selectPath,
  normalizedPath,
} from './payload';
export { jsonEquals } from './filter';
