/**
 * textDocument/hover: documentation for every field (ASL, ECS/EKS parameters, Kubernetes Job
 * fields) from the schemas' markdownDescription; enum values; Resource (pattern, output,
 * errors, IAM actions); state names (type and references); intrinsic functions, context
 * paths, `$states` members and JSONata functions inside values.
 */
import type { Hover } from 'vscode-languageserver/node';
import { INTRINSICS } from '../../../asl/src/paths';
import { describe, resolveSubschema, schemaViews, stateSchemaId } from '../../../asl/src/schemas';
import type { AstNode, MachineModel, ParsedDocument, QueryLanguage, StateInfo } from '../../../asl/src/types';
import { guard } from '../safe';
import type { ServerSettings } from '../settings';
import type { FeatureContext } from './index';
import { payloadContext } from './shared/payload';
import { CONTEXT_PATHS, JSONATA_FUNCTIONS, STATES_MEMBERS } from './shared/pathData';
import { resourceMarkdown } from './shared/resourceDoc';
import { variableSources } from './shared/variables';
import { isKeyNode, keyOf, nodeAtOffset, nodePath, type TreePathSegment } from '../../../asl/src/parse/tree';
import { enclosingState, modelIndex, referencesTo, relativePath } from '../../../asl/src/model';

const REF_LABEL: Record<string, string> = {
  StartAt: 'StartAt',
  Next: 'Next',
  Default: 'Default',
  ChoiceNext: 'Choices Next',
  CatchNext: 'Catch Next',
};

/** Markdown describing a state: its type and where it is referenced. */
export function stateMarkdown(model: MachineModel, s: StateInfo): string {
  const refs = referencesTo(model, s.name, s.scope);
  const lines = [`**${s.type ?? 'State'}** state \`${s.name}\`${s.scope.kind === 'root' ? '' : ` (in ${s.scope.id})`}`];
  const comment =
    s.node.type === 'object'
      ? (s.node.children ?? []).find((p) => keyOf(p) === 'Comment')?.children?.[1]?.value
      : undefined;
  if (typeof comment === 'string') lines.push('', comment);
  if (s.resource) lines.push('', `Resource: \`${s.resource.raw}\``);
  if (refs.length === 0) lines.push('', 'Not referenced by any state.');
  else {
    lines.push('', `Referenced ${refs.length} time${refs.length === 1 ? '' : 's'}:`);
    for (const r of refs.slice(0, 20)) {
      const line = model.doc.positionAt(r.node.offset).line + 1;
      lines.push(`- ${r.from ? `\`${r.from.name}\`` : 'the machine'} (${REF_LABEL[r.kind] ?? r.kind}, line ${line})`);
    }
    if (refs.length > 20) lines.push(`- … and ${refs.length - 20} more`);
  }
  return lines.join('\n');
}

function schemaDocAt(
  model: MachineModel,
  full: TreePathSegment[],
  state: StateInfo | undefined,
  rel: TreePathSegment[],
  ql: QueryLanguage,
): string | undefined {
  const payload = payloadContext(state, rel);
  if (payload) {
    const r = resolveSubschema(payload.integration.parametersSchemaId, payload.sub);
    if (r) return `**${r.title}** — \`${payload.integration.key}\` parameter\n\n${describe(r.schema, r.required)}`;
    return undefined;
  }
  const r =
    state && state.type
      ? resolveSubschema(stateSchemaId(ql, state.type), rel)
      : resolveSubschema(model.queryLanguage === 'JSONata' ? 'asl-jsonata' : 'asl-jsonpath', full);
  return r ? `**${r.title}**\n\n${describe(r.schema, r.required)}` : undefined;
}

function enumValueDoc(
  state: StateInfo | undefined,
  rel: TreePathSegment[],
  full: TreePathSegment[],
  model: MachineModel,
  value: string,
  ql: QueryLanguage,
): string | undefined {
  const payload = payloadContext(state, rel);
  const views = payload
    ? schemaViews(payload.integration.parametersSchemaId, payload.sub)
    : state?.type
      ? schemaViews(stateSchemaId(ql, state.type), rel)
      : schemaViews(model.queryLanguage === 'JSONata' ? 'asl-jsonata' : 'asl-jsonpath', full);
  // a state's own definition pins Type to a const; the generic state definition lists them all
  if (state && rel.length === 1 && rel[0] === 'Type')
    views.push(...schemaViews(`${ql === 'JSONata' ? 'asl-jsonata' : 'asl-jsonpath'}#/definitions/state`, ['Type']));
  for (const v of views) {
    if (Array.isArray(v.enum)) {
      const i = v.enum.indexOf(value);
      if (i >= 0) return `\`${value}\`${v.markdownEnumDescriptions?.[i] ? ' — ' + v.markdownEnumDescriptions[i] : ''}`;
    }
  }
  return undefined;
}

/** The token of a path/expression string around `at` (relative to the string's text). */
function tokenAt(s: string, at: number): { start: number; text: string } | undefined {
  const re = /\$\$?[A-Za-z0-9_.]*|States\.[A-Za-z0-9]+|\$[A-Za-z_][A-Za-z0-9_]*/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (at >= m.index && at <= m.index + m[0].length) {
      // keep the segments up to the one under the caret (`$states.in|put.name` -> `$states.input`)
      const cut = m[0].indexOf('.', Math.max(at - m.index, m[0].startsWith('$$') ? 3 : 1));
      return { start: m.index, text: cut > 0 && !m[0].startsWith('States.') ? m[0].slice(0, cut) : m[0] };
    }
    if (m[0].length === 0) re.lastIndex++;
  }
  return undefined;
}

function expressionDoc(token: string, followedByParen: boolean): string | undefined {
  const intrinsic = INTRINSICS[token];
  if (intrinsic) return `**${intrinsic.signature}**\n\n${intrinsic.description}`;
  const clean = token.replace(/\.$/, '');
  const ctx = CONTEXT_PATHS.find((c) => c.path === clean) ?? STATES_MEMBERS.find((c) => c.path === clean);
  if (ctx) return `\`${ctx.path}\` — ${ctx.doc}`;
  if (clean.startsWith('$$.')) {
    const under = CONTEXT_PATHS.filter((c) => c.path.startsWith(clean + '.'));
    if (under.length)
      return `Context object \`${clean}\`:\n\n${under.map((c) => `- \`${c.path}\` — ${c.doc}`).join('\n')}`;
  }
  if (clean === '$$')
    return 'The context object: `Execution`, `State`, `StateMachine`, `Task`, and `Map` inside a Map.';
  if (clean === '$states')
    return 'Reserved JSONata variable: `input`, `result` (Task/Parallel/Map), `errorOutput` (Catch), `context`.';
  if (followedByParen || /^\$[a-z]/.test(clean)) {
    const f = JSONATA_FUNCTIONS.find((x) => '$' + x.name === clean);
    if (f) return `**$${f.name}(${f.params.join(', ')})** — JSONata function\n\n${f.doc}`;
  }
  return undefined;
}

/** Hover at `offset`; undefined when there is nothing to say. */
export function hoverAt(
  doc: ParsedDocument,
  model: MachineModel,
  offset: number,
  settings?: ServerSettings,
): Hover | undefined {
  const n = nodeAtOffset(doc.root, offset, true);
  if (!n) return undefined;
  const idx = modelIndex(model);
  const range = (node: AstNode) => doc.rangeOf(node.offset, node.length);
  const md = (value: string, node: AstNode): Hover => ({ contents: { kind: 'markdown', value }, range: range(node) });
  // state names: declarations and references
  const declared = idx.stateByKey.get(n);
  if (declared) return md(stateMarkdown(model, declared), n);
  const ref = idx.refByNode.get(n);
  if (ref) {
    const target = ref.scope.states.get(ref.target);
    return md(
      target
        ? stateMarkdown(model, target)
        : `No state named \`${ref.target}\` in this ${ref.scope.kind === 'root' ? 'machine' : 'scope'}.`,
      n,
    );
  }
  const prop = n.parent?.type === 'property' ? n.parent : undefined;
  const isKey = isKeyNode(n);
  const owner = isKey ? prop!.parent : n.parent;
  if (!owner) return undefined;
  const full: TreePathSegment[] = nodePath(n);
  const state = enclosingState(model, isKey ? owner : n);
  const rel = relativePath(full, state);
  const ql = state?.queryLanguage ?? model.queryLanguage;
  if (isKey) {
    const text = schemaDocAt(model, full, state, rel, ql);
    return text ? md(text, n) : undefined;
  }
  if (n.type !== 'string' || typeof n.value !== 'string') return undefined;
  const key = keyOf(prop);
  if (key === 'Resource' && state?.resource && rel.length === 1) {
    return md(resourceMarkdown(state, settings), n);
  }
  // inside a path / intrinsic / JSONata expression
  const inner = offset - n.offset - (doc.text[n.offset] === '"' || doc.text[n.offset] === "'" ? 1 : 0);
  const tok = tokenAt(n.value, inner);
  if (tok) {
    const after = n.value[tok.start + tok.text.length];
    const text = expressionDoc(tok.text, after === '(');
    if (text) return md(text, n);
    const v = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(tok.text);
    if (v && !tok.text.startsWith('$$') && v[1] !== 'states') {
      const from = variableSources(model, v[1]);
      if (from.length)
        return md(
          `Variable \`$${v[1]}\`, set by \`Assign\` in ${from.map((x) => `\`${x}\``).join(', ')}; a value assigned by a state is visible from the next state on ([Workflow variables](https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html)).`,
          n,
        );
    }
  }
  const enumDoc = enumValueDoc(state, rel, full, model, n.value, ql);
  if (enumDoc) return md(enumDoc, n);
  return undefined;
}

/** Registers textDocument/hover. */
export function hover(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.hoverProvider = true;
  connection.onHover(
    guard(connection, 'hover', null, (p) => {
      const e = documents.get(p.textDocument.uri);
      if (!e) return null;
      return hoverAt(e.doc, e.model, e.doc.offsetAt(p.position), ctx.settings()) ?? null;
    }),
  );
}
