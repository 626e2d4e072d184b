/**
 * The shared contract of the asl/ core. Every consumer (server, runner, client, CLI) codes
 * against these types; implementations live next to this file (parse/, model.ts, paths/,
 * integrations/, graph/, iam/). Pure: no vscode, no LSP, no fs, no child_process.
 */

// ---------------------------------------------------------------- positioned tree

/** Node kinds; identical to jsonc-parser's `Node` so its helpers work on YAML trees too. */
export type AstNodeType = 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null';

/**
 * One node of the positioned tree (same shape as jsonc-parser's `Node`).
 * - object: children are `property` nodes
 * - property: children = [keyNode (string), valueNode?]; `colonOffset` set for JSON
 * - array: children are the items
 * Offsets are UTF-16 code-unit offsets into the document text.
 */
export interface AstNode {
  type: AstNodeType;
  offset: number;
  length: number;
  value?: unknown;
  children?: AstNode[];
  parent?: AstNode;
  colonOffset?: number;
}

export type DocumentFormat = 'json' | 'yaml';

/** A syntax problem found while parsing (comments, trailing commas, YAML errors...). */
export interface ParseProblem {
  /** stable code, e.g. ASL001 (syntax error), ASL002 (comment), ASL003 (trailing comma) */
  code: string;
  message: string;
  offset: number;
  length: number;
  severity: Severity;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Position {
  /** zero-based */
  line: number;
  /** zero-based, UTF-16 code units */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A parsed document: text + tree + problems + position mapping. */
export interface ParsedDocument {
  text: string;
  format: DocumentFormat;
  /** undefined when the text has no value at all */
  root: AstNode | undefined;
  problems: ParseProblem[];
  /**
   * JSON: each later occurrence of a key in an object with the key's first occurrence, found
   * while parsing (YAML reports repeated keys among its problems)
   */
  duplicateKeys?: readonly (readonly [AstNode, AstNode])[];
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  rangeOf(offset: number, length: number): Range;
}

// ---------------------------------------------------------------- model

export type QueryLanguage = 'JSONPath' | 'JSONata';
export type StateType = 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
export const STATE_TYPES: readonly StateType[] = [
  'Task',
  'Pass',
  'Choice',
  'Wait',
  'Succeed',
  'Fail',
  'Parallel',
  'Map',
];

export type RefKind = 'StartAt' | 'Next' | 'Default' | 'ChoiceNext' | 'CatchNext';

/** A reference to a state by name, with the string node that holds it. */
export interface StateRef {
  kind: RefKind;
  target: string;
  /** the string value node (its range is the reference's range, quotes included in JSON) */
  node: AstNode;
  /** the scope in which `target` must be resolved */
  scope: Scope;
  /** the state that holds the reference; undefined for StartAt */
  from?: StateInfo;
}

/** A set of states with one StartAt: the machine, a Parallel branch or a Map processor. */
export interface Scope {
  /** stable id: "root", "<state>/Branches[0]", "<state>/ItemProcessor" (nested: joined by "/") */
  id: string;
  kind: 'root' | 'branch' | 'processor';
  /** the object holding StartAt/States */
  node: AstNode;
  /** the `States` object value node, if present and an object */
  statesNode?: AstNode;
  startAt?: StateRef;
  /** first state per name in this scope (duplicates are in `MachineModel.duplicates`) */
  states: Map<string, StateInfo>;
  /** all states in document order */
  stateList: StateInfo[];
  /** the Parallel / Map state owning this scope */
  parentState?: StateInfo;
  /** the scope's effective default query language (QueryLanguage of the machine) */
  queryLanguage: QueryLanguage;
  /** `Map` ProcessorConfig.Mode for processors */
  mode?: 'INLINE' | 'DISTRIBUTED';
}

export interface StateInfo {
  name: string;
  /** the property key node (range of the name) */
  keyNode: AstNode;
  /** the state's value node (normally an object; may be anything in broken input) */
  node: AstNode;
  /** value of "Type" when it is a string */
  type?: string;
  scope: Scope;
  /** the state's own QueryLanguage, falling back to the machine's */
  queryLanguage: QueryLanguage;
  /** outgoing references (Next, Default, Choices[].Next, Catch[].Next) */
  refs: StateRef[];
  /** Parallel branches / Map processor */
  childScopes: Scope[];
  /** parsed Resource for Task states */
  resource?: ParsedResource;
  /**
   * The values of the state object's first `Next` and `End` properties, and whether it has a
   * `Next` property at all (one without a value counts, in a document with syntax errors), as
   * getValue and hasField find them: found while the model is built, for the rules that read
   * them on every state of a large machine.
   */
  next: AstNode | undefined;
  end: AstNode | undefined;
  hasNext: boolean;
}

export interface MachineModel {
  doc: ParsedDocument;
  /** undefined when the root is not an object */
  root?: Scope;
  scopes: Scope[];
  /** every state of every scope, document order */
  states: StateInfo[];
  /** every reference (StartAt included) */
  refs: StateRef[];
  /** states whose name was already used anywhere in the machine (the later ones) */
  duplicates: StateInfo[];
  queryLanguage: QueryLanguage;
}

// ---------------------------------------------------------------- resources & integrations

export type IntegrationPattern = 'requestResponse' | 'sync' | 'waitForTaskToken';

export interface ParsedResource {
  raw: string;
  /** optimized = arn:<p>:states:::<svc>:<action>; sdk = arn:<p>:states:::aws-sdk:<svc>:<action> */
  kind: 'optimized' | 'sdk' | 'lambda' | 'activity' | 'unknown';
  partition?: string;
  service?: string;
  action?: string;
  pattern: IntegrationPattern;
  /** optimized integrations only: "<service>:<action>", e.g. "ecs:runTask" */
  key?: string;
}

export interface IamStatement {
  /** DocumentedByAws<n> / Inferred<n> in a generated policy (asl/src/iam/sid.ts) */
  Sid?: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamContext {
  /** values or placeholders like "${Region}" */
  region: string;
  account: string;
  partition: string;
}

/** One optimized-integration resource (e.g. ecs:runTask), from https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html. */
export interface IntegrationAction {
  service: 'ecs' | 'eks';
  action: string;
  /** "<service>:<action>" */
  key: string;
  patterns: IntegrationPattern[];
  /** id of the JSON Schema in schemas/ for Parameters/Arguments, e.g. "ecs-run-task" */
  parametersSchemaId: string;
  /** one-line summary */
  summary: string;
  /** markdown per supported pattern: what it does, what it waits for, output */
  patternDocs: Partial<Record<IntegrationPattern, string>>;
  /** required parameter names (top level) */
  required: string[];
  /** error names this action can raise, with when */
  errors: { name: string; when: string }[];
  /** markdown description of the output shape per pattern */
  output: Partial<Record<IntegrationPattern, string>>;
  /** IAM statements Step Functions generates (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html); params = the static Parameters value */
  iam(params: unknown, pattern: IntegrationPattern, ctx: IamContext): IamStatement[];
  /** extra notes (e.g. Kubernetes RBAC for runJob/call) */
  notes?: string;
  /** top-level parameters that exclude each other: the service rejects a request naming both */
  exclusiveParameters?: readonly (readonly [string, string])[];
}

// ---------------------------------------------------------------- paths & intrinsics

/** One step of a JSONPath: `.name`, `['name']`, `[3]`, `[*]`, `..name`, `[1:3]`, `[?(...)]`, `[0,1]` */
export type PathSegment =
  | { kind: 'field'; name: string; offset: number }
  | { kind: 'index'; index: number; offset: number }
  | { kind: 'wildcard'; offset: number }
  | { kind: 'recursive'; name?: string; offset: number }
  | { kind: 'slice'; start?: number; end?: number; step?: number; offset: number }
  | { kind: 'union'; items: (string | number)[]; offset: number }
  | {
      kind: 'filter';
      expression: string;
      offset: number;
      /** where `expression` starts in the path text */ expressionOffset: number;
    };

export interface JsonPath {
  /** '$' (input), '$$' (context object) or a variable name ('$x' -> 'x') */
  root: '$' | '$$' | { variable: string };
  segments: PathSegment[];
  /** true when the path only uses field / index steps (a "reference path") */
  isReference: boolean;
  /** false when the path can select several values (wildcard, slice, filter, recursive, union) */
  isDefinite: boolean;
  text: string;
}

export interface PathError {
  /** offset inside the path text */
  offset: number;
  length: number;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: PathError };

/** An intrinsic function call or argument. */
export type IntrinsicArg =
  | {
      kind: 'string';
      value: string;
      offset: number;
      length: number;
      /** source between the quotes, escapes kept (States.Format needs `\{`) */ raw?: string;
    }
  | { kind: 'number'; value: number; offset: number; length: number }
  | { kind: 'boolean'; value: boolean; offset: number; length: number }
  | { kind: 'null'; offset: number; length: number }
  | { kind: 'path'; path: JsonPath; offset: number; length: number }
  | IntrinsicCall;

export interface IntrinsicCall {
  kind: 'call';
  /** full name, e.g. "States.Format" */
  name: string;
  args: IntrinsicArg[];
  offset: number;
  length: number;
}

/** Functions the pure core cannot do itself; the runner passes node:crypto-backed ones. */
export interface IntrinsicHost {
  hash(algorithm: 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512', data: string): string;
  uuid(): string;
  random(): number;
}

/** Data a path or intrinsic is evaluated against. */
export interface EvalScope {
  input: unknown;
  context: unknown;
  variables?: Record<string, unknown>;
}

/** An error raised while evaluating with a Step Functions error name (e.g. States.IntrinsicFailure). */
export class StatesError extends Error {
  constructor(
    public readonly error: string,
    public override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}
