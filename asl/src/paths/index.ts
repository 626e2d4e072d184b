/**
 * Public API of Step Functions' JSONPath dialect, reference paths, the context object,
 * intrinsic functions and JSONPath payload templates (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html, https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html, https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
 */
export { asReferencePath, parseJsonPath, parseReferencePath, type ReferencePathOptions } from './jsonpath';
export { evaluateJsonPath } from './evaluate';
export { parseIntrinsic } from './intrinsicParse';
export { INTRINSICS, validateIntrinsic } from './intrinsicCatalog';
export { evaluateIntrinsic } from './intrinsicEval';
export {
  parseJsonPathCached,
  parseIntrinsicCached,
  classifyDollarValue,
  evaluatePayloadTemplate,
  planPayloadTemplate,
  evaluatePayloadPlan,
  type PayloadPlan,
  applyResultPath,
  selectPath,
  INVALID_AT_RUN_TIME,
} from './payload';
export { unquotedFilterWords } from './filter';
