/**
 * State machines in Terraform files: the `definition` of each `aws_sfn_state_machine`
 * resource (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sfn_state_machine),
 * written as `jsonencode({...})`, a heredoc or quoted JSON string, `file("….asl.json")`,
 * `templatefile("….asl.json", { … })`, or a `local.name` that holds one of these in a
 * `locals` block of the same file. Terraform expressions in the definition (references,
 * function calls, `${…}` interpolations) become `${name}` placeholders that Terraform fills.
 * Template syntax: https://developer.hashicorp.com/terraform/language/expressions/strings
 */
import { formatOf } from '../../parse/format';
import { roughMap, type OffsetMap } from '../offsetMap';
import type { EmbeddedMachine, HostDiagnostic, Placeholder, PlaceholderKind, ReadFile } from '../types';
import { TEMPLATE_CODES } from '../types';
import { jsonencodeDefinition, templateDefinition, type VirtualDefinition } from './encode';
import { kindOf, TEMPLATEFILE_ORIGIN } from './hclToJson';
import { attributes, parseHcl, parseTemplate } from './hcl';
import type { Attribute, Block, BodyItem, Expr } from './hclSyntax';

const RESOURCE_TYPE = 'aws_sfn_state_machine';
/** How many `local.a` -> `local.b` steps are followed before giving up (a cycle stops there too). */
const MAX_LOCAL_HOPS = 8;
/** `path.module` and friends: the directory of the module, which is the host file's. */
const MODULE_PATH = /^(path\.module|path\.root|path\.cwd)$/;

/** What the finder knows about the file besides the resource. */
interface Scope {
  host: string;
  locals: Map<string, Expr>;
  /** `var.name` / `local.name` -> its literal value (a variable's default, a local's value) */
  values: Map<string, string | number | boolean>;
  /** `var.name` / `local.name` known to be lists */
  lists: Set<string>;
  /** `data "template_file" "name"` blocks: their `template` and `vars` */
  templateFiles: Map<string, Map<string, Attribute>>;
  readFile?: ReadFile;
}

/** One machine under construction. */
interface Found {
  map: OffsetMap;
  format: 'json' | 'yaml';
  placeholders: Placeholder[];
  substitutions: Record<string, string | number | boolean>;
  diagnostics: HostDiagnostic[];
  definitionFile?: string;
}

/** Every `aws_sfn_state_machine` in a Terraform file. Never throws. */
export function findTerraformMachines(hostText: string, fileName: string, readFile?: ReadFile): EmbeddedMachine[] {
  if (!hostText.includes(RESOURCE_TYPE)) return [];
  const file = parseHcl(hostText);
  const locals = localsOf(file.body);
  const templateFiles = new Map<string, Map<string, Attribute>>();
  for (const b of file.body)
    if (b.kind === 'block' && b.type === 'data' && b.labels[0] === 'template_file' && b.labels[1])
      templateFiles.set(b.labels[1], attributes(b.body));
  const scope: Scope = { host: hostText, locals, values: new Map(), lists: new Set(), templateFiles, readFile };
  knownValues(scope, file.body);
  const out: EmbeddedMachine[] = [];
  for (const block of file.body) {
    if (block.kind !== 'block' || block.type !== 'resource' || block.labels[0] !== RESOURCE_TYPE) continue;
    const id = `${RESOURCE_TYPE}.${block.labels[1] ?? ''}`;
    const found = machineOf(scope, id, block);
    const syntax = file.problems
      .filter((p) => p.start >= block.start && p.start <= block.end)
      .map((p): HostDiagnostic => ({
        start: p.start,
        end: p.end,
        severity: 'error',
        code: TEMPLATE_CODES.hostSyntax,
        message: p.message,
      }));
    out.push({
      id,
      hostKind: 'terraform',
      text: found.map.text,
      format: found.format,
      hostRange: found.map.hostRange,
      toHost: found.map.toHost,
      toHostEnd: found.map.toHostEnd,
      fromHost: found.map.fromHost,
      encodeEdit: found.map.encodeEdit,
      placeholders: found.placeholders,
      substitutions: found.substitutions,
      hostDiagnostics: [...syntax, ...found.diagnostics],
      definitionFile: found.definitionFile,
    });
  }
  return out;
}

/** Attributes of every top-level `locals` block. */
function localsOf(body: BodyItem[]): Map<string, Expr> {
  const out = new Map<string, Expr>();
  for (const b of body)
    if (b.kind === 'block' && b.type === 'locals')
      for (const [name, a] of attributes(b.body)) if (a.expr) out.set(name, a.expr);
  return out;
}

/** Literal values and list shapes of the file's variables (type, default) and locals. */
function knownValues(scope: Scope, body: BodyItem[]) {
  const note = (name: string, e: Expr | undefined) => {
    if (!e) return;
    const value = literalOf(scope.host, e);
    if (value !== undefined) scope.values.set(name, value);
    if (e.kind === 'tuple') scope.lists.add(name);
  };
  for (const b of body) {
    if (b.kind !== 'block' || b.type !== 'variable' || !b.labels[0]) continue;
    const attrs = attributes(b.body);
    const name = `var.${b.labels[0]}`;
    note(name, attrs.get('default')?.expr);
    const type = attrs.get('type')?.expr;
    if (type && /^(list|set|tuple)\b/.test(scope.host.slice(type.start, type.end))) scope.lists.add(name);
  }
  for (const [name, e] of scope.locals) note(`local.${name}`, e);
}

/** The literal values the file gives the placeholders of a definition. */
function valuesOf(scope: Scope, placeholders: Placeholder[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const p of placeholders) {
    const value = scope.values.get(p.name);
    if (value !== undefined) out[p.name] = value;
  }
  return out;
}

/** `local.name` resolved through the file's locals (undefined when it is not one, or is not found). */
function resolveLocal(scope: Scope, e: Expr | undefined): Expr | undefined {
  let cur = e;
  for (let hops = 0; cur?.kind === 'traversal' && hops < MAX_LOCAL_HOPS; hops++) {
    const m = /^local\.([A-Za-z_][\w-]*)$/.exec(scope.host.slice(cur.start, cur.end));
    if (!m) return cur;
    cur = scope.locals.get(m[1]);
  }
  return cur?.kind === 'traversal' ? undefined : cur;
}

function problem(
  map: OffsetMap,
  severity: HostDiagnostic['severity'],
  code: string,
  message: string,
  range: { start: number; end: number } = map.hostRange,
): Found {
  return {
    map,
    format: 'json',
    placeholders: [],
    substitutions: {},
    diagnostics: [{ ...range, severity, code, message }],
  };
}

function fromVirtual(scope: Scope, v: VirtualDefinition, format: 'json' | 'yaml' = 'json'): Found {
  return {
    map: v.map,
    format,
    placeholders: v.placeholders,
    substitutions: valuesOf(scope, v.placeholders),
    diagnostics: directiveNotes(v),
  };
}

/** Template directives (`%{ if }`, `%{ for }`) are not evaluated: one note says so. */
function directiveNotes(v: VirtualDefinition): HostDiagnostic[] {
  const d = v.directives[0];
  if (!d) return [];
  return [
    {
      start: d.start,
      end: d.end,
      severity: 'info',
      code: TEMPLATE_CODES.notLocal,
      message:
        'Template directives (%{ … }) are not evaluated here: the definition is checked with their text left out.',
    },
  ];
}

function machineOf(scope: Scope, id: string, block: Block): Found {
  const attr = attributes(block.body).get('definition');
  const header = { start: block.start, end: block.start + 'resource'.length };
  if (!attr?.expr)
    return problem(roughMap('', header), 'warning', TEMPLATE_CODES.noDefinition, `${id} has no definition.`);
  const written = attr.expr;
  const e = resolveLocal(scope, written);
  if (!e)
    return problem(
      roughMap('', written),
      'info',
      TEMPLATE_CODES.notLocal,
      `The definition of ${id} is computed by Terraform from '${scope.host.slice(written.start, written.end)}': it is not checked here.`,
    );
  return definitionOf(scope, id, e, written);
}

/** The machine for a definition expression `e` (`written` is where the resource names it). */
function definitionOf(scope: Scope, id: string, e: Expr, written: Expr): Found {
  const host = scope.host;
  if (e.kind === 'call' && e.name === 'jsonencode' && e.args.length === 1) {
    const arg = resolveLocal(scope, e.args[0]);
    if (arg?.kind === 'object' || arg?.kind === 'tuple') {
      const isList = (x: Expr) => x.kind === 'traversal' && scope.lists.has(host.slice(x.start, x.end));
      return fromVirtual(scope, jsonencodeDefinition(host, arg, isList));
    }
    if (arg?.kind === 'call' && arg.name === 'yamldecode' && arg.args.length === 1) {
      const inner = resolveLocal(scope, arg.args[0]);
      if (inner?.kind === 'call' && (inner.name === 'file' || inner.name === 'templatefile'))
        return fileDefinition(scope, id, inner, 'yaml');
    }
  } else if (e.kind === 'template') {
    // the quotes or heredoc markers are not part of the definition
    const body = e.heredoc
      ? { start: e.heredoc.bodyStart, end: e.heredoc.bodyEnd }
      : { start: e.start + 1, end: e.closed ? e.end - 1 : e.end };
    const v = templateDefinition(host, e.parts, body, !e.heredoc);
    return fromVirtual(scope, v, /^\s*[{[]/.test(v.map.text) || !v.map.text.trim() ? 'json' : 'yaml');
  } else if (e.kind === 'call' && (e.name === 'file' || e.name === 'templatefile')) {
    return fileDefinition(scope, id, e, undefined);
  } else if (e.kind === 'traversal') {
    // the template provider's data source renders a file like templatefile() does
    const name = /^data\.template_file\.([\w-]+)\.rendered$/.exec(host.slice(e.start, e.end))?.[1];
    const attrs = name === undefined ? undefined : scope.templateFiles.get(name);
    const template = resolveLocal(scope, attrs?.get('template')?.expr);
    if (template?.kind === 'call' && template.name === 'file') {
      const vars = attrs?.get('vars')?.expr;
      const args = vars ? [template.args[0], vars] : [template.args[0]];
      return fileDefinition(scope, id, { ...template, name: 'templatefile', args }, undefined);
    }
  }
  const range = e === written ? e : written;
  return problem(
    roughMap('', range),
    'info',
    TEMPLATE_CODES.notLocal,
    `The definition of ${id} is computed by Terraform ('${shorten(host.slice(e.start, e.end))}'): it is not checked here. Write it as jsonencode({ … }), a JSON string, file() or templatefile() to check it.`,
  );
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 59) + '…' : one;
}

/** The path a `file()` / `templatefile()` argument names, relative to the host file. */
function pathOf(host: string, e: Expr | undefined): string | undefined {
  if (e?.kind !== 'template' || e.heredoc) return undefined;
  let out = '';
  for (const [i, p] of e.parts.entries()) {
    if (p.kind === 'literal') out += decodeQuoted(host.slice(p.start, p.end));
    else if (p.kind === 'interp' && i === 0 && p.expr && MODULE_PATH.test(host.slice(p.expr.start, p.expr.end)))
      out += '.';
    else return undefined;
  }
  return out.replace(/^\.\//, '');
}

/** The value of HCL quoted-string text (path arguments hold plain text; escapes decoded). */
function decodeQuoted(text: string): string {
  return text.replace(/\\(["\\nrt])|\$\$\{|%%\{/g, (m, c: string | undefined) =>
    c === undefined ? m.slice(1) : (({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c),
  );
}

/** `file(path)` or `templatefile(path, vars)`: the definition is that file. */
function fileDefinition(
  scope: Scope,
  id: string,
  call: Extract<Expr, { kind: 'call' }>,
  format: 'yaml' | undefined,
): Found {
  const host = scope.host;
  const path = pathOf(host, call.args[0]);
  const range = { start: call.start, end: call.end };
  if (path === undefined)
    return problem(
      roughMap('', range),
      'info',
      TEMPLATE_CODES.notLocal,
      `The definition file of ${id} is named by an expression Terraform computes: it is not checked here.`,
    );
  const text = scope.readFile?.(path);
  if (text === undefined) {
    const found = problem(
      roughMap('', range),
      'error',
      TEMPLATE_CODES.unreadableFile,
      `The definition file '${path}' of ${id} cannot be read.`,
    );
    return { ...found, definitionFile: path };
  }
  const fileFormat = format ?? formatOf(path);
  if (call.name === 'file')
    return {
      map: roughMap(text, range),
      format: fileFormat,
      placeholders: [],
      substitutions: {},
      diagnostics: [],
      definitionFile: path,
    };

  // templatefile: the variables map gives literal values, or values Terraform computes
  const vars = resolveLocal(scope, call.args[1]);
  const substitutions: Record<string, string | number | boolean> = {};
  const kinds = new Map<string, PlaceholderKind>();
  if (vars?.kind === 'object')
    for (const item of vars.items) {
      const key = keyOf(host, item.key);
      if (key === undefined || !item.value) continue;
      const value = literalOf(host, item.value);
      if (value !== undefined) substitutions[key] = value;
      kinds.set(key, value === undefined ? kindOf(host, item.value) : literalKind(value));
    }
  const parsed = parseTemplate(text);
  const v = templateDefinition(
    text,
    parsed.parts,
    { start: 0, end: text.length },
    false,
    (name, e) => {
      // a template reads only the variables it is given: `${a.b}` needs `a`
      if (vars?.kind !== 'object' || e?.kind !== 'traversal') return { defined: true, kind: 'unknown' };
      const kind = kinds.get(name.split(/[.[]/)[0]);
      return {
        defined: kind !== undefined,
        kind: name.includes('.') || name.includes('[') ? 'unknown' : (kind ?? 'unknown'),
      };
    },
    TEMPLATEFILE_ORIGIN,
  );
  const diagnostics: HostDiagnostic[] = [];
  const varsRange = call.args[1] ?? range;
  for (const p of v.placeholders) {
    if (p.defined || diagnostics.some((d) => d.message.includes(`'\${${p.name}}'`))) continue;
    diagnostics.push({
      start: varsRange.start,
      end: varsRange.end,
      severity: 'error',
      code: TEMPLATE_CODES.undefinedPlaceholder,
      message: `'\${${p.name}}' in ${path} has no value in the template variables of ${id}: Terraform stops with an error.`,
    });
  }
  if (v.directives.length)
    diagnostics.push({
      ...range,
      severity: 'info',
      code: TEMPLATE_CODES.notLocal,
      message: `Template directives (%{ … }) in ${path} are not evaluated here: the definition is checked with their text left out.`,
    });
  return {
    map: roughMap(v.map.text, range),
    format: fileFormat,
    placeholders: v.placeholders,
    substitutions,
    diagnostics,
    definitionFile: path,
  };
}

function literalKind(value: string | number | boolean): PlaceholderKind {
  return typeof value === 'number'
    ? 'number'
    : typeof value === 'string' && value.startsWith('arn:')
      ? 'arn'
      : 'string';
}

/** An object key's text: a bare name or a plain quoted string. */
function keyOf(host: string, k: Expr): string | undefined {
  if (k.kind === 'traversal') return host.slice(k.start, k.end);
  if (k.kind === 'template' && !k.heredoc && k.parts.every((p) => p.kind === 'literal'))
    return decodeQuoted(host.slice(k.start + 1, k.closed ? k.end - 1 : k.end));
  return undefined;
}

/** The value of a literal expression (string without interpolation, number, bool). */
function literalOf(host: string, e: Expr): string | number | boolean | undefined {
  if (e.kind === 'number') {
    const n = Number(host.slice(e.start, e.end).replace(/\s+/g, ''));
    return Number.isFinite(n) ? n : undefined;
  }
  if (e.kind === 'keyword') return e.value === null ? undefined : e.value;
  if (e.kind === 'template' && !e.heredoc && e.parts.every((p) => p.kind === 'literal'))
    return decodeQuoted(host.slice(e.start + 1, e.closed ? e.end - 1 : e.end));
  return undefined;
}
