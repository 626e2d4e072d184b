/**
 * State machines in CloudFormation, SAM and CDK templates (JSON or YAML):
 * `AWS::StepFunctions::StateMachine` (Definition, DefinitionString, DefinitionS3Location,
 * DefinitionSubstitutions) and `AWS::Serverless::StateMachine` (Definition, DefinitionUri,
 * DefinitionSubstitutions). Resource properties:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html
 * Intrinsic functions (Ref, Fn::GetAtt, Fn::Sub, Fn::Join) become `${Name}` placeholders:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { formatOf } from '../parse/format';
import type { DocumentFormat } from '../types';
import { fullRange, get, intrinsicOf, parseHost, str } from './hostTree';
import type { HNode } from './hostTree';
import { blank, identityMap, MapBuilder, roughMap } from './offsetMap';
import type { OffsetMap } from './offsetMap';
import { decodeJsonString, decodeYamlScalar } from './scalars';
import type { EmbeddedMachine, HostDiagnostic, HostKind, Placeholder, PlaceholderKind, ReadFile } from './types';
import { TEMPLATE_CODES } from './types';

export const STATE_MACHINE_TYPES = ['AWS::StepFunctions::StateMachine', 'AWS::Serverless::StateMachine'] as const;

/** CloudFormation pseudo parameters (`${AWS::Region}` in Fn::Sub). */
export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/**
 * Values a local run gives pseudo parameters the user has not set: local behaviour, not
 * CloudFormation's (which takes them from the stack being deployed). They match the local
 * runner's default region and account.
 */
export const PSEUDO_PARAMETER_STAND_INS: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'local-stack',
};

/**
 * Resource types whose `Ref` is an ARN (the rest return a name or an id), from each type's
 * "Return values" in the CloudFormation resource reference.
 */
const REF_IS_ARN = new Set([
  'AWS::ECS::TaskDefinition',
  'AWS::SNS::Topic',
  'AWS::StepFunctions::StateMachine',
  'AWS::StepFunctions::Activity',
  'AWS::Serverless::StateMachine',
  'AWS::IAM::ManagedPolicy',
  'AWS::Batch::JobQueue',
  'AWS::Batch::JobDefinition',
]);

/** Where a placeholder's value comes from and what it is. */
interface Source {
  origin: string;
  kind: PlaceholderKind;
}

/** What the template declares: parameters and resources by logical id. */
interface TemplateScope {
  parameters: Map<string, string>;
  resources: Map<string, string>;
}

/** Reads one template and returns its state machines. */
export function findCloudFormationMachines(host: string, fileName: string, readFile?: ReadFile): EmbeddedMachine[] {
  // JSON by its name or its first character, YAML otherwise (`.template` files are either)
  const format: DocumentFormat = /\.json$/i.test(fileName) || /^\s*\{/.test(host) ? 'json' : 'yaml';
  const tree = parseHost(host, format);
  const resources = get(tree.root, 'Resources');
  if (resources?.kind !== 'map') return [];
  const scope: TemplateScope = { parameters: new Map(), resources: new Map() };
  const params = get(tree.root, 'Parameters');
  for (const p of params?.pairs ?? []) scope.parameters.set(p.key, str(get(p.value, 'Type')) ?? 'String');
  for (const r of resources.pairs!) scope.resources.set(r.key, str(get(r.value, 'Type')) ?? '');
  const cdk = /\.template\.json$/i.test(fileName) || host.includes('"aws:cdk:path"');
  const out: EmbeddedMachine[] = [];
  for (const r of resources.pairs!) {
    const type = scope.resources.get(r.key)!;
    if (!(STATE_MACHINE_TYPES as readonly string[]).includes(type)) continue;
    const kind: HostKind = cdk ? 'cdk' : type === 'AWS::Serverless::StateMachine' ? 'sam' : 'cloudformation';
    const ctx = new MachineContext(host, tree.format, scope);
    try {
      out.push(machineOf(ctx, r.key, kind, get(r.value, 'Properties'), { start: r.keyStart, end: r.keyEnd }, readFile));
    } catch (e) {
      // a template shape nothing above expects must not take the editor down with it
      out.push(
        ctx.finish(r.key, kind, roughMap('', { start: r.keyStart, end: r.keyEnd }), 'json', undefined, {
          code: TEMPLATE_CODES.roughMap,
          message: `The definition of ${r.key} could not be read (${String((e as Error)?.message ?? e)}).`,
        }),
      );
    }
  }
  return out;
}

/** Collects what one state machine's definition needs while it is read. */
class MachineContext {
  /** DefinitionSubstitutions by name */
  definitionSubs = new Map<string, Source>();
  substitutions: Record<string, string | number | boolean> = {};
  /** virtual ranges read from a Fn::Sub string, with its own variables */
  subRanges: { start: number; end: number; vars: Map<string, Source> }[] = [];
  /** placeholders written for intrinsics, by virtual start */
  intrinsicPlaceholders = new Map<number, Source>();
  diagnostics: HostDiagnostic[] = [];
  roughNoted = false;

  constructor(
    readonly host: string,
    readonly format: DocumentFormat,
    readonly scope: TemplateScope,
  ) {}

  /** What a name means inside a Fn::Sub string (a parameter, a resource, `Res.Attr`, a pseudo parameter). */
  subSource(name: string): Source | undefined {
    if (PSEUDO_PARAMETERS.has(name)) return { origin: 'pseudo parameter', kind: 'string' };
    const param = this.scope.parameters.get(name);
    if (param !== undefined) return { origin: 'template parameter', kind: param === 'Number' ? 'number' : 'string' };
    if (this.scope.resources.has(name)) return this.refSource(name);
    const dot = name.indexOf('.');
    if (dot > 0 && this.scope.resources.has(name.slice(0, dot))) return getAttSource(name.slice(dot + 1));
    return undefined;
  }

  refSource(name: string): Source {
    if (PSEUDO_PARAMETERS.has(name)) return { origin: 'pseudo parameter', kind: 'string' };
    if (this.scope.parameters.has(name))
      return { origin: 'Ref', kind: this.scope.parameters.get(name) === 'Number' ? 'number' : 'string' };
    return { origin: 'Ref', kind: REF_IS_ARN.has(this.scope.resources.get(name) ?? '') ? 'arn' : 'string' };
  }

  /** The `${Name}` text and source for a Ref / Fn::GetAtt / other intrinsic node. */
  intrinsicText(node: HNode): { name: string; source: Source } {
    const i = intrinsicOf(node)!;
    if (i.fn === 'Ref') {
      const name = str(i.arg) ?? 'Ref';
      return { name, source: this.refSource(name) };
    }
    if (i.fn === 'Fn::GetAtt') {
      const parts =
        i.arg?.kind === 'seq' ? i.arg.items!.map((x) => str(x) ?? '?') : (str(i.arg) ?? '').split(/\.(.*)/s, 2);
      const name = parts.filter(Boolean).join('.');
      return { name: name || 'Fn::GetAtt', source: getAttSource(parts[1] ?? '') };
    }
    return { name: i.fn, source: { origin: i.fn, kind: 'unknown' } };
  }

  noteRough(node: HNode, what: string): void {
    if (this.roughNoted) return;
    this.roughNoted = true;
    this.diagnostics.push({
      ...fullRange(node),
      severity: 'info',
      code: TEMPLATE_CODES.roughMap,
      message: `${what} is written in a form whose characters are not mapped one by one: diagnostics inside it point at the whole string, and quick fixes do not edit it.`,
    });
  }

  /** The machine, its placeholders and their host diagnostics. */
  finish(
    id: string,
    hostKind: HostKind,
    map: OffsetMap,
    format: DocumentFormat,
    definitionFile: string | undefined,
    extra?: { code: string; message: string; severity?: HostDiagnostic['severity'] },
  ): EmbeddedMachine {
    const placeholders = this.placeholdersOf(map);
    const diagnostics = [...this.diagnostics];
    if (extra) diagnostics.push({ ...map.hostRange, severity: extra.severity ?? 'warning', ...extra });
    for (const p of placeholders) {
      if (p.defined) continue;
      const inSub = this.subRanges.some((r) => p.start >= r.start && p.end <= r.end);
      const start = map.toHost(p.start);
      const end = Math.max(start, map.toHostEnd(p.end));
      diagnostics.push({
        start: definitionFile ? map.hostRange.start : start,
        end: definitionFile ? map.hostRange.end : end,
        severity: inSub ? 'error' : 'warning',
        code: TEMPLATE_CODES.undefinedPlaceholder,
        message: inSub
          ? `'\${${p.name}}' in Fn::Sub is neither a template parameter, a resource, a pseudo parameter nor a variable of this Fn::Sub: CloudFormation rejects the template. Write '\${!${p.name}}' to leave it to DefinitionSubstitutions.`
          : `'\${${p.name}}' is not defined in DefinitionSubstitutions of ${id}: Step Functions would receive it as it is.`,
      });
    }
    return {
      id,
      hostKind,
      text: map.text,
      format,
      hostRange: map.hostRange,
      toHost: map.toHost,
      toHostEnd: map.toHostEnd,
      fromHost: map.fromHost,
      encodeEdit: map.encodeEdit,
      placeholders,
      substitutions: this.substitutions,
      hostDiagnostics: diagnostics,
      definitionFile,
    };
  }

  private placeholdersOf(map: OffsetMap): Placeholder[] {
    const out: Placeholder[] = [];
    const text = map.text;
    if (!text.includes('${')) return out;
    for (const m of text.matchAll(/\$\{([^${}\s]+)\}/g)) {
      const start = m.index!;
      const end = start + m[0].length;
      let name = m[1];
      let source = this.intrinsicPlaceholders.get(start);
      if (!source) {
        const sub = this.subRanges.find((r) => start >= r.start && end <= r.end);
        if (sub) {
          // `${!Name}` is Fn::Sub's escape: CloudFormation writes `${Name}` for DefinitionSubstitutions
          if (name.startsWith('!')) {
            name = name.slice(1);
            const value = this.substitutions[name];
            if (value !== undefined) this.substitutions[m[1]] = value;
          } else source = sub.vars.get(name) ?? this.subSource(name);
        }
        source ??= this.definitionSubs.get(name);
      }
      out.push({
        name: m[1],
        start,
        end,
        kind: source?.kind ?? 'unknown',
        defined: !!source,
        origin: source?.origin ?? 'undefined',
      });
    }
    return out;
  }
}

function getAttSource(attribute: string): Source {
  return { origin: 'Fn::GetAtt', kind: /Arn$/.test(attribute) ? 'arn' : 'string' };
}

/** The source of a literal substitution value. */
function literalSource(origin: string, value: unknown): Source {
  return {
    origin,
    kind:
      typeof value === 'number' ? 'number' : typeof value === 'string' && value.startsWith('arn:') ? 'arn' : 'string',
  };
}

function machineOf(
  ctx: MachineContext,
  id: string,
  kind: HostKind,
  props: HNode | undefined,
  idRange: { start: number; end: number },
  readFile: ReadFile | undefined,
): EmbeddedMachine {
  readDefinitionSubstitutions(ctx, get(props, 'DefinitionSubstitutions'));
  const definition = get(props, 'Definition');
  if (definition) return ctx.finish(id, kind, identityOf(ctx, definition), ctx.format, undefined);
  const definitionString = get(props, 'DefinitionString');
  if (definitionString) {
    const map = stringMachine(ctx, definitionString);
    return ctx.finish(id, kind, map, /^\s*[{[]/.test(map.text) || !map.text.trim() ? 'json' : 'yaml', undefined);
  }
  const location = get(props, 'DefinitionUri') ?? get(props, 'DefinitionS3Location');
  const path = str(location);
  if (location && path !== undefined) {
    const range = fullRange(location);
    const text = readFile?.(path);
    if (text === undefined)
      return ctx.finish(id, kind, roughMap('', range), formatOf(path), path, {
        severity: 'error',
        code: TEMPLATE_CODES.unreadableFile,
        message: `The definition file '${path}' of ${id} cannot be read.`,
      });
    return ctx.finish(id, kind, roughMap(text, range), formatOf(path), path);
  }
  if (location)
    return ctx.finish(id, kind, roughMap('', fullRange(location)), 'json', undefined, {
      severity: 'info',
      code: TEMPLATE_CODES.notLocal,
      message: `The definition of ${id} is an S3 object: it is not checked here. Point DefinitionUri or DefinitionS3Location at a local file (the packaging step uploads it) to check it.`,
    });
  return ctx.finish(id, kind, roughMap('', idRange), 'json', undefined, {
    severity: 'warning',
    code: TEMPLATE_CODES.noDefinition,
    message: `${id} has no Definition, DefinitionString${kind === 'sam' ? ', DefinitionUri' : ' or DefinitionS3Location'}.`,
  });
}

function readDefinitionSubstitutions(ctx: MachineContext, subs: HNode | undefined): void {
  for (const p of subs?.kind === 'map' ? subs.pairs! : []) {
    const v = p.value;
    if (v?.kind === 'scalar' && !v.tag && ['string', 'number', 'boolean'].includes(typeof v.value)) {
      ctx.substitutions[p.key] = v.value as string | number | boolean;
      ctx.definitionSubs.set(p.key, literalSource('DefinitionSubstitutions', v.value));
      continue;
    }
    const i = intrinsicOf(v);
    if (i && (i.fn === 'Ref' || i.fn === 'Fn::GetAtt')) {
      ctx.definitionSubs.set(p.key, { ...ctx.intrinsicText(v!).source, origin: `DefinitionSubstitutions (${i.fn})` });
      continue;
    }
    const template = i?.fn === 'Fn::Sub' ? (str(i.arg) ?? str(i.arg?.items?.[0])) : undefined;
    ctx.definitionSubs.set(p.key, {
      origin: `DefinitionSubstitutions${i ? ` (${i.fn})` : ''}`,
      kind: template?.startsWith('arn:') ? 'arn' : 'unknown',
    });
  }
}

/**
 * A `Definition` written as a mapping: the host text itself with the rest blanked, so
 * offsets agree. Intrinsics inside it are rewritten in place: Ref and Fn::GetAtt to a
 * `"${Name}"` string, Fn::Sub to its string, anything else to `"${Fn::Name}"`.
 */
function identityOf(ctx: MachineContext, definition: HNode): OffsetMap {
  const host = ctx.host;
  const range = fullRange(definition);
  const fixed: { start: number; end: number }[] = [];
  /** host ranges blanked, each with the text written at its start */
  const rewrites: { start: number; end: number; text: string }[] = [];
  const stack: HNode[] = [definition];
  while (stack.length) {
    const n = stack.pop()!;
    const i = intrinsicOf(n);
    if (!i) {
      for (const p of n.pairs ?? []) if (p.value) stack.push(p.value);
      for (const c of n.items ?? []) stack.push(c);
      continue;
    }
    const r = fullRange(n);
    if (i.fn === 'Fn::Sub') {
      const s = i.arg?.kind === 'seq' ? i.arg.items![0] : i.arg;
      if (s?.kind === 'scalar' && typeof s.value === 'string') {
        // the string stays where it is (and editable); the rest of the call is blanked
        rewrites.push({ start: r.start, end: s.start, text: '' }, { start: s.end, end: r.end, text: '' });
        fixed.push({ start: r.start, end: s.start }, { start: s.end, end: r.end });
        ctx.subRanges.push({ start: s.start, end: s.end, vars: subVars(ctx, i.arg) });
        continue;
      }
    }
    const { name, source } = ctx.intrinsicText(n);
    // written on the intrinsic's first line, so the lines stay as they are
    const nl = host.slice(r.start, r.end).search(/[\r\n]/);
    const room = nl < 0 ? r.end - r.start : nl;
    let text = `"\${${name}}"`;
    if (text.length <= room) ctx.intrinsicPlaceholders.set(r.start + 1, source);
    else text = room >= 2 ? '""' : '';
    rewrites.push({ start: r.start, end: r.end, text });
    fixed.push(r);
  }
  rewrites.sort((a, b) => a.start - b.start);
  const out = [blank(host.slice(0, range.start))];
  let at = range.start;
  for (const w of rewrites) {
    if (w.start < at) continue;
    out.push(host.slice(at, w.start), w.text, blank(host.slice(w.start + w.text.length, w.end)));
    at = w.end;
  }
  out.push(host.slice(at, range.end), blank(host.slice(range.end)));
  return identityMap(out.join(''), range, fixed, (t) => t);
}

/** The variables of `Fn::Sub: [string, {vars}]`. */
function subVars(ctx: MachineContext, arg: HNode | undefined): Map<string, Source> {
  const vars = new Map<string, Source>();
  const map = arg?.kind === 'seq' ? arg.items![1] : undefined;
  for (const p of map?.kind === 'map' ? map.pairs! : []) {
    const v = p.value;
    if (v?.kind === 'scalar' && !v.tag) {
      vars.set(p.key, literalSource('Fn::Sub variable', v.value));
      if (['string', 'number', 'boolean'].includes(typeof v.value))
        ctx.substitutions[p.key] = v.value as string | number | boolean;
    } else if (intrinsicOf(v)) vars.set(p.key, { ...ctx.intrinsicText(v!).source, origin: 'Fn::Sub variable' });
    else vars.set(p.key, { origin: 'Fn::Sub variable', kind: 'unknown' });
  }
  return vars;
}

/** A `DefinitionString`: a string, a Fn::Sub or a Fn::Join of strings and intrinsics. */
function stringMachine(ctx: MachineContext, node: HNode): OffsetMap {
  const b = new MapBuilder();
  const range = fullRange(node);
  appendString(ctx, b, node);
  quoteBarePlaceholders(ctx, b);
  return b.build(range);
}

/**
 * A JSON definition may hold a placeholder outside any string (`"Seconds": ${Delay}`):
 * CloudFormation replaces text, so the deployed definition is JSON once the value is in. The
 * definition is read with the placeholder quoted (the quotes stand for no host text and cannot
 * be edited), which makes it a whole-value placeholder: its value keeps its type (5 stays a
 * number) and without a value it is reported as a placeholder, not as a syntax error.
 */
function quoteBarePlaceholders(ctx: MachineContext, b: MapBuilder): void {
  const text = b.openTextAll();
  if (!/^\s*[{[]/.test(text) || !text.includes('${')) return;
  const bare: [number, number][] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      if (close > 0 && /^\$\{[^${}\s]+\}$/.test(text.slice(i, close + 1))) bare.push([i, close + 1]);
    }
  }
  const map = b.build({ start: 0, end: 0 });
  for (const [start, end] of bare.reverse()) {
    const hEnd = map.toHostEnd(end);
    const hStart = map.toHost(start);
    if (!b.insertSynthetic(end, '"', hEnd)) continue;
    if (!b.insertSynthetic(start, '"', hStart)) continue;
    // range bounds take the quotes in; a placeholder's own start moves past the opening one
    const bound = (v: number) => v + (v > start ? 1 : 0) + (v >= end ? 1 : 0);
    for (const r of ctx.subRanges) {
      r.start = bound(r.start);
      r.end = bound(r.end);
    }
    ctx.intrinsicPlaceholders = new Map(
      [...ctx.intrinsicPlaceholders].map(([k, v]) => [k + (k >= start ? 1 : 0) + (k >= end ? 1 : 0), v]),
    );
  }
}

/** Appends the text a string-valued node stands for. */
function appendString(ctx: MachineContext, b: MapBuilder, node: HNode): void {
  const i = intrinsicOf(node);
  if (!i) {
    if (node.kind === 'scalar') appendScalar(ctx, b, node);
    else {
      ctx.noteRough(node, 'The DefinitionString');
      b.opaque('', node.start, node.end);
    }
    return;
  }
  if (i.fn === 'Fn::Sub') {
    const s = i.arg?.kind === 'seq' ? i.arg.items![0] : i.arg;
    if (s?.kind === 'scalar') {
      const start = b.length;
      appendScalar(ctx, b, s);
      b.unescapeSub(start);
      ctx.subRanges.push({ start, end: b.length, vars: subVars(ctx, i.arg) });
      return;
    }
  }
  if (i.fn === 'Fn::Join' && i.arg?.kind === 'seq') {
    const delimiter = i.arg.items![0];
    const parts = i.arg.items![1];
    if (delimiter?.kind === 'scalar' && parts?.kind === 'seq') {
      const sep = String(delimiter.value ?? '');
      parts.items!.forEach((part, k) => {
        // the delimiter stands for the host text between the two parts (offsets stay in order)
        if (k > 0 && sep) b.opaque(sep, fullRange(parts.items![k - 1]).end, fullRange(part).start);
        appendString(ctx, b, part);
      });
      return;
    }
  }
  const r = fullRange(node);
  const { name, source } = ctx.intrinsicText(node);
  ctx.intrinsicPlaceholders.set(b.length, source);
  b.opaque(`\${${name}}`, r.start, r.end);
}

function appendScalar(ctx: MachineContext, b: MapBuilder, node: HNode): void {
  const value = node.value === null || node.value === undefined ? '' : String(node.value);
  const ok =
    typeof node.value === 'string' &&
    (node.style === 'json'
      ? decodeJsonString(ctx.host, node.start, node.end, b, value)
      : node.style !== undefined && decodeYamlScalar(ctx.host, node.style, node.start, node.end, b, value));
  if (ok) return;
  ctx.noteRough(node, node.style === 'folded' ? 'A folded block scalar (>)' : 'This string');
  b.opaque(value, node.start, node.end);
}
