/**
 * State machine definitions held inside infrastructure code: CloudFormation, SAM and CDK
 * templates, Terraform files. Each definition becomes a "virtual document" (the ASL text as
 * Step Functions will see it, minus the deployment's substitutions) with a map between its
 * offsets and the host file's, so every diagnostic, hover and edit lands in the user's file.
 *
 * Pure: a definition in another file is read through the caller's `ReadFile`.
 */
import type { DocumentFormat, Severity } from '../types';

export type HostKind = 'cloudformation' | 'sam' | 'cdk' | 'terraform';

/** Reads a file named relative to the host file; undefined when it cannot be read. */
export type ReadFile = (relativePath: string) => string | undefined;

/** A host-file range, [start, end) in UTF-16 offsets. */
export interface HostRange {
  start: number;
  end: number;
}

/** An edit of the host text. */
export interface HostEdit extends HostRange {
  text: string;
}

/** A problem of the host around a definition, in host offsets. */
export interface HostDiagnostic extends HostRange {
  severity: Exclude<Severity, 'hint'>;
  /** one of TEMPLATE_CODES */
  code: string;
  message: string;
}

/**
 * What a placeholder's value is known to be: `arn` satisfies an ARN field (a Task's
 * Resource, an ECS cluster or task definition ARN, …); `unknown` says nothing.
 */
export type PlaceholderKind = 'arn' | 'string' | 'number' | 'unknown';

/** One `${Name}` in the virtual text. */
export interface Placeholder {
  /** the name between `${` and `}`: a substitution, `AWS::Region`, `MyTable.Arn`, `var.x` */
  name: string;
  /** virtual offsets of the whole `${Name}` */
  start: number;
  end: number;
  kind: PlaceholderKind;
  /** false when nothing in the host gives it a value (a TPL001 host diagnostic says so) */
  defined: boolean;
  /**
   * where the value comes from, for hover and messages: "DefinitionSubstitutions",
   * "pseudo parameter", "Ref", "Fn::GetAtt", "Fn::Sub variable", "template parameter",
   * "Terraform interpolation", "undefined"
   */
  origin: string;
}

/** A state machine definition held inside a host file (template / .tf). */
export interface EmbeddedMachine {
  /** CloudFormation logical id, or Terraform address `aws_sfn_state_machine.<name>` */
  id: string;
  hostKind: HostKind;
  /** the definition as ASL text (the "virtual document") */
  text: string;
  format: DocumentFormat;
  /** host offsets of the definition's value in the host text */
  hostRange: HostRange;
  /** virtual offset -> host offset (monotone; `text.length` maps to the end of the value) */
  toHost(offset: number): number;
  /**
   * where the virtual character before `offset` ends in the host: the end of a range (differs
   * from toHost at a line end of a block scalar or a fragment boundary); toHost when absent
   */
  toHostEnd?(offset: number): number;
  /** host offset -> virtual offset; undefined outside the definition */
  fromHost(offset: number): number | undefined;
  /**
   * The host edit that puts `text` at virtual [start, end), encoded for the host (JSON-string
   * escapes inside DefinitionString, block-scalar indentation, …). Undefined when that part
   * of the host cannot be edited as text: a Ref/GetAtt fragment, a range across two
   * fragments, a definition in another file or a shape whose offsets are not mapped exactly.
   */
  encodeEdit(start: number, end: number, text: string): HostEdit | undefined;
  /** `${Name}` placeholders of the virtual text, in order */
  placeholders: Placeholder[];
  /** literal values the host gives placeholders (DefinitionSubstitutions, Fn::Sub variables, …) */
  substitutions: Record<string, string | number | boolean>;
  /** problems of the host around the definition */
  hostDiagnostics: HostDiagnostic[];
  /**
   * when the definition is in another file (DefinitionUri, DefinitionS3Location with a local
   * path, Terraform file()/templatefile()): that path, relative to the host file; the map
   * then points every virtual offset at the reference in the host
   */
  definitionFile?: string;
}

/** Codes of host diagnostics. */
export const TEMPLATE_CODES = {
  /** a `${Name}` nothing in the host defines */
  undefinedPlaceholder: 'TPL001',
  /** DefinitionUri / DefinitionS3Location / file() names a file that cannot be read */
  unreadableFile: 'TPL002',
  /** the definition is somewhere this tool does not read (an S3 object, a computed value) */
  notLocal: 'TPL003',
  /** the definition is written in a shape whose offsets are mapped only roughly */
  roughMap: 'TPL004',
  /** a state machine resource without any definition property */
  noDefinition: 'TPL005',
  /** the host file itself cannot be parsed */
  hostSyntax: 'TPL006',
} as const;
