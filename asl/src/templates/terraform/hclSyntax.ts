/**
 * The syntax tree of the HCL parser (hcl.ts): bodies of attributes and blocks, and
 * expressions with their extent. Every offset is a UTF-16 offset into the parsed text.
 */

export interface Span {
  start: number;
  end: number;
}

export type TemplatePart =
  /** literal text, escapes as written (`\"`, `$${`, …) */
  | (Span & { kind: 'literal' })
  /** `${ expr }`: `expr` undefined when nothing parseable is inside */
  | (Span & { kind: 'interp'; expr?: Expr })
  /** `%{ if … }`, `%{ for … }`, `%{ endif }`…: never evaluated here */
  | (Span & { kind: 'directive' });

export interface HeredocInfo {
  /** `<<-` strips the common leading white space of the lines */
  indented: boolean;
  /** first character of the first body line / start of the closing marker's line */
  bodyStart: number;
  bodyEnd: number;
}

export interface ObjectItem {
  key: Expr;
  /** offset of the `=` or `:` (undefined when missing) */
  sep?: number;
  value?: Expr;
  /** offset of a comma after the value */
  comma?: number;
}

export interface TupleItem {
  value: Expr;
  comma?: number;
}

export type Expr =
  | (Span & { kind: 'object'; items: ObjectItem[]; closed: boolean })
  | (Span & { kind: 'tuple'; items: TupleItem[]; closed: boolean })
  | (Span & { kind: 'template'; parts: TemplatePart[]; heredoc?: HeredocInfo; closed: boolean })
  | (Span & { kind: 'number' })
  | (Span & { kind: 'keyword'; value: boolean | null })
  /** `name(args…)`; `name` may be namespaced (`provider::aws::arn_parse`) */
  | (Span & { kind: 'call'; name: string; args: Expr[] })
  /** `var.x`, `aws_ecs_cluster.main.arn`, `local.list[0]`, a bare identifier */
  | (Span & { kind: 'traversal' })
  /** anything else: operators, conditionals, `for`, splats, parentheses */
  | (Span & { kind: 'other' });

export interface Attribute extends Span {
  kind: 'attribute';
  name: string;
  nameStart: number;
  expr?: Expr;
}

export interface Block extends Span {
  kind: 'block';
  type: string;
  /** label values (quoted labels unquoted; escapes are not expected in labels) */
  labels: string[];
  body: BodyItem[];
}

export type BodyItem = Attribute | Block;

export interface HclProblem extends Span {
  message: string;
}

export interface HclFile {
  body: BodyItem[];
  problems: HclProblem[];
}
