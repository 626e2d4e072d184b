/**
 * Field sets of Amazon States Language per state type and query language (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html, https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html, https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html). The validator (unknown / misplaced fields) and completion read these
 * constants; the JSON Schemas in schemas/asl-*.schema.json carry the same sets under
 * `x-fields` and describe each field for hover.
 */

import { STATE_TYPES, type QueryLanguage, type StateType } from '../types';

/** Names used by the field tables; the same types as the model's (asl/src/types.ts). */
export type QueryLanguageName = QueryLanguage;
export type StateTypeName = StateType;
export { STATE_TYPES };

export type FieldSets = Readonly<Record<QueryLanguageName, readonly string[]>>;

const COMMON = ['Type', 'Comment', 'QueryLanguage'] as const;
const TRANSITION = ['Next', 'End'] as const;
/** The five JSONPath I/O fields; JSONata replaces them with Arguments + Output (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html). */
const PATH_IO = ['InputPath', 'OutputPath'] as const;

/** Every field allowed on each state type, per query language (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html). */
export const FIELDS_BY_STATE_TYPE: Readonly<Record<StateTypeName, FieldSets>> = {
  Task: {
    JSONPath: [
      ...COMMON,
      'Resource',
      ...PATH_IO,
      'Parameters',
      'ResultSelector',
      'ResultPath',
      'TimeoutSeconds',
      'TimeoutSecondsPath',
      'HeartbeatSeconds',
      'HeartbeatSecondsPath',
      'Credentials',
      'Retry',
      'Catch',
      'Assign',
      ...TRANSITION,
    ],
    JSONata: [
      ...COMMON,
      'Resource',
      'Arguments',
      'Output',
      'TimeoutSeconds',
      'HeartbeatSeconds',
      'Credentials',
      'Retry',
      'Catch',
      'Assign',
      ...TRANSITION,
    ],
  },
  Pass: {
    JSONPath: [...COMMON, ...PATH_IO, 'Parameters', 'Result', 'ResultPath', 'Assign', ...TRANSITION],
    JSONata: [...COMMON, 'Output', 'Assign', ...TRANSITION],
  },
  // Choice never has End (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html); its rules carry Next.
  Choice: {
    JSONPath: [...COMMON, ...PATH_IO, 'Choices', 'Default', 'Assign'],
    JSONata: [...COMMON, 'Choices', 'Default', 'Output', 'Assign'],
  },
  Wait: {
    JSONPath: [...COMMON, ...PATH_IO, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Assign', ...TRANSITION],
    JSONata: [...COMMON, 'Seconds', 'Timestamp', 'Output', 'Assign', ...TRANSITION],
  },
  // Succeed and Fail are terminal: no Next/End, no Assign (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
  Succeed: {
    JSONPath: [...COMMON, ...PATH_IO],
    JSONata: [...COMMON, 'Output'],
  },
  Fail: {
    JSONPath: [...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath'],
    JSONata: [...COMMON, 'Error', 'Cause'],
  },
  Parallel: {
    JSONPath: [
      ...COMMON,
      ...PATH_IO,
      'Parameters',
      'ResultSelector',
      'ResultPath',
      'Branches',
      'Retry',
      'Catch',
      'Assign',
      ...TRANSITION,
    ],
    JSONata: [...COMMON, 'Arguments', 'Output', 'Branches', 'Retry', 'Catch', 'Assign', ...TRANSITION],
  },
  Map: {
    JSONPath: [
      ...COMMON,
      ...PATH_IO,
      'ItemsPath',
      'ItemProcessor',
      'Iterator',
      'ItemSelector',
      'Parameters',
      'ResultSelector',
      'ResultPath',
      'MaxConcurrency',
      'MaxConcurrencyPath',
      'ItemReader',
      'ItemBatcher',
      'ResultWriter',
      'ToleratedFailurePercentage',
      'ToleratedFailurePercentagePath',
      'ToleratedFailureCount',
      'ToleratedFailureCountPath',
      'Label',
      'Retry',
      'Catch',
      'Assign',
      ...TRANSITION,
    ],
    JSONata: [
      ...COMMON,
      'Items',
      'ItemProcessor',
      'ItemSelector',
      'MaxConcurrency',
      'ItemReader',
      'ItemBatcher',
      'ResultWriter',
      'ToleratedFailurePercentage',
      'ToleratedFailureCount',
      'Label',
      'Retry',
      'Catch',
      'Assign',
      'Output',
      ...TRANSITION,
    ],
  },
};

/**
 * Fields that must be present per state type (besides Next/End, which the transition rule
 * checks). Map also needs one of REQUIRED_ONE_OF.Map.
 */
export const REQUIRED_FIELDS_BY_STATE_TYPE: Readonly<Record<StateTypeName, readonly string[]>> = {
  Task: ['Type', 'Resource'],
  Pass: ['Type'],
  Choice: ['Type', 'Choices'],
  Wait: ['Type'],
  Succeed: ['Type'],
  Fail: ['Type'],
  Parallel: ['Type', 'Branches'],
  Map: ['Type'],
};

/** Groups of which exactly one member must be present (Wait: one of four, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html; Map: processor). */
export const REQUIRED_ONE_OF: Readonly<Partial<Record<StateTypeName, FieldSets>>> = {
  Wait: { JSONPath: ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'], JSONata: ['Seconds', 'Timestamp'] },
  Map: { JSONPath: ['ItemProcessor', 'Iterator'], JSONata: ['ItemProcessor'] },
};

/** Fields that also exist as a `…Path` variant; a state takes one of the two. */
export const PATH_TWIN_FIELDS: readonly string[] = [
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'MaxConcurrency',
  'ToleratedFailurePercentage',
  'ToleratedFailureCount',
];

/** Groups of state fields of which a state takes at most one. */
export const EXCLUSIVE_FIELD_GROUPS: readonly (readonly string[])[] = [
  ...PATH_TWIN_FIELDS.map((f) => [f, `${f}Path`]),
  ['Error', 'ErrorPath'],
  ['Cause', 'CausePath'],
  REQUIRED_ONE_OF.Wait!.JSONPath,
  ['ItemProcessor', 'Iterator'],
  ['Next', 'End'],
];

/** Fields of the state machine object (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html). */
export const TOP_LEVEL_FIELDS: readonly string[] = [
  'Comment',
  'StartAt',
  'States',
  'Version',
  'TimeoutSeconds',
  'QueryLanguage',
];
export const TOP_LEVEL_REQUIRED: readonly string[] = ['StartAt', 'States'];
/** Fields of a Parallel branch (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html, nested roots). */
export const BRANCH_FIELDS: readonly string[] = ['Comment', 'StartAt', 'States', 'QueryLanguage'];
/** Fields of a Map ItemProcessor (and deprecated Iterator, which has no ProcessorConfig use). */
export const PROCESSOR_FIELDS: readonly string[] = ['Comment', 'StartAt', 'States', 'QueryLanguage', 'ProcessorConfig'];
export const PROCESSOR_CONFIG_FIELDS: readonly string[] = ['Mode', 'ExecutionType'];
export const PROCESSOR_MODES: readonly string[] = ['INLINE', 'DISTRIBUTED'];
export const EXECUTION_TYPES: readonly string[] = ['STANDARD', 'EXPRESS'];

/** Map sub-objects (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html, distributed mode). */
export const ITEM_READER_FIELDS: FieldSets = {
  JSONPath: ['Resource', 'Parameters', 'ReaderConfig'],
  JSONata: ['Resource', 'Arguments', 'ReaderConfig'],
};
export const ITEM_BATCHER_FIELDS: FieldSets = {
  JSONPath: [
    'MaxItemsPerBatch',
    'MaxItemsPerBatchPath',
    'MaxInputBytesPerBatch',
    'MaxInputBytesPerBatchPath',
    'BatchInput',
  ],
  JSONata: ['MaxItemsPerBatch', 'MaxInputBytesPerBatch', 'BatchInput'],
};
export const RESULT_WRITER_FIELDS: FieldSets = {
  JSONPath: ['Resource', 'Parameters', 'WriterConfig'],
  JSONata: ['Resource', 'Arguments', 'WriterConfig'],
};
/** ItemReader.ReaderConfig of a Distributed Map: the format of the source and an item limit. */
export const READER_CONFIG_FIELDS: FieldSets = {
  JSONPath: [
    'InputType',
    'CSVHeaderLocation',
    'CSVHeaders',
    'CSVDelimiter',
    'ManifestType',
    'MaxItems',
    'MaxItemsPath',
  ],
  JSONata: ['InputType', 'CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter', 'ManifestType', 'MaxItems'],
};
/** ResultWriter.WriterConfig of a Distributed Map: format and content of the exported results. */
export const WRITER_CONFIG_FIELDS: FieldSets = {
  JSONPath: ['OutputType', 'Transformation'],
  JSONata: ['OutputType', 'Transformation'],
};
export const CREDENTIALS_FIELDS: FieldSets = { JSONPath: ['RoleArn', 'RoleArn.$'], JSONata: ['RoleArn'] };

/** Retrier fields (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html); same in both query languages. */
export const RETRIER_FIELDS: readonly string[] = [
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
];
export const RETRIER_REQUIRED: readonly string[] = ['ErrorEquals'];
/** Catcher fields (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html): ResultPath in JSONPath, Output in JSONata; Assign in both. */
export const CATCHER_FIELDS: FieldSets = {
  JSONPath: ['ErrorEquals', 'Next', 'ResultPath', 'Assign', 'Comment'],
  JSONata: ['ErrorEquals', 'Next', 'Output', 'Assign', 'Comment'],
};
export const CATCHER_REQUIRED: readonly string[] = ['ErrorEquals', 'Next'];

/** What the value of a Choice comparison operator must be. */
export type ChoiceOperandKind = 'string' | 'number' | 'boolean' | 'timestamp' | 'path' | 'rules' | 'rule';

export interface ChoiceOperator {
  name: string;
  operand: ChoiceOperandKind;
  /** comparison family, for completion grouping */
  family: 'logical' | 'boolean' | 'numeric' | 'string' | 'timestamp' | 'type';
}

function family(
  prefix: 'Numeric' | 'String' | 'Timestamp',
  operand: ChoiceOperandKind,
  fam: ChoiceOperator['family'],
): ChoiceOperator[] {
  const out: ChoiceOperator[] = [];
  for (const op of ['Equals', 'GreaterThan', 'GreaterThanEquals', 'LessThan', 'LessThanEquals']) {
    out.push({ name: prefix + op, operand, family: fam });
    out.push({ name: prefix + op + 'Path', operand: 'path', family: fam });
  }
  return out;
}

/** JSONPath Choice rule operators (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html). JSONata rules use Condition instead. */
export const CHOICE_OPERATORS: readonly ChoiceOperator[] = [
  { name: 'And', operand: 'rules', family: 'logical' },
  { name: 'Or', operand: 'rules', family: 'logical' },
  { name: 'Not', operand: 'rule', family: 'logical' },
  { name: 'BooleanEquals', operand: 'boolean', family: 'boolean' },
  { name: 'BooleanEqualsPath', operand: 'path', family: 'boolean' },
  ...family('Numeric', 'number', 'numeric'),
  ...family('String', 'string', 'string'),
  { name: 'StringMatches', operand: 'string', family: 'string' },
  ...family('Timestamp', 'timestamp', 'timestamp'),
  { name: 'IsNull', operand: 'boolean', family: 'type' },
  { name: 'IsPresent', operand: 'boolean', family: 'type' },
  { name: 'IsNumeric', operand: 'boolean', family: 'type' },
  { name: 'IsString', operand: 'boolean', family: 'type' },
  { name: 'IsBoolean', operand: 'boolean', family: 'type' },
  { name: 'IsTimestamp', operand: 'boolean', family: 'type' },
];

export const CHOICE_OPERATOR_NAMES: readonly string[] = CHOICE_OPERATORS.map((o) => o.name);

/**
 * Non-operator fields of a Choice rule. Top-level rules (directly in Choices) carry Next and
 * may carry Assign (JSONata: Output too); nested rules under And/Or/Not carry neither.
 */
export const CHOICE_RULE_FIELDS: FieldSets = {
  JSONPath: ['Variable', 'Next', 'Assign', 'Comment'],
  JSONata: ['Condition', 'Next', 'Assign', 'Output', 'Comment'],
};

/** Names of fields that hold a JSONPath path in JSONPath states (used by path checks). */
export const PATH_FIELDS: readonly string[] = [
  'InputPath',
  'OutputPath',
  'ResultPath',
  'ItemsPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'ErrorPath',
  'CausePath',
  'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
  'MaxItemsPerBatchPath',
  'MaxInputBytesPerBatchPath',
  'Variable',
];
