/**
 * Builds the state graph from the machine model: one node per state, Parallel branches and Map
 * processors as scope nodes nested in their state, start/end markers per scope, and the edges
 * of StartAt, Next, Choice rules, Default, Catch and End. Never throws.
 */
import type { AstNode, MachineModel, Scope, Severity, StateInfo } from '../types';
import { getValue } from '../parse/tree';
import { catchLabel, choiceLabel } from './labels';
import type { GraphEdge, GraphNode, ResourceKind, StateGraph } from './types';

/** A diagnostic as far as the graph cares: where and how bad. */
export interface GraphDiagnostic {
  offset: number;
  length: number;
  severity: Severity;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 4, warning: 3, info: 2, hint: 1 };

function stringsOf(node: AstNode | undefined): string[] {
  if (!node || node.type !== 'array') return [];
  return (node.children ?? []).filter((c) => c.type === 'string').map((c) => String(c.value));
}

function resourceKindOf(state: StateInfo): { kind?: ResourceKind; label?: string } {
  const r = state.resource;
  if (!r) return {};
  const service = r.service;
  const kind: ResourceKind =
    service === 'ecs' ? 'ecs' : service === 'eks' ? 'eks' : service === 'lambda' ? 'lambda' : 'other';
  const suffix = r.pattern === 'sync' ? '.sync' : r.pattern === 'waitForTaskToken' ? '.waitForTaskToken' : '';
  const label =
    r.kind === 'optimized' || r.kind === 'sdk'
      ? `${r.kind === 'sdk' ? 'aws-sdk:' : ''}${service}:${r.action}${suffix}`
      : r.kind === 'lambda'
        ? 'lambda'
        : undefined;
  return { kind, label };
}

interface Ctx {
  nodes: GraphNode[];
  edges: GraphEdge[];
  ids: Map<StateInfo, string>;
  used: Set<string>;
  duplicates: Set<StateInfo>;
}

function uniqueId(ctx: Ctx, base: string): string {
  let id = base;
  for (let i = 2; ctx.used.has(id); i++) id = `${base}#${i}`;
  ctx.used.add(id);
  return id;
}

function scopeLabel(scope: Scope): string {
  if (scope.kind === 'processor')
    return scope.mode === 'DISTRIBUTED' ? 'Item processor (distributed)' : 'Item processor';
  const m = /Branches\[(\d+)\]$/.exec(scope.id);
  return m ? `Branch ${Number(m[1]) + 1}` : 'Branch';
}

/** States of `scope` reachable from its StartAt through Next/Default/Choice/Catch references. */
function reachable(scope: Scope): Set<StateInfo> {
  const seen = new Set<StateInfo>();
  const start = scope.startAt ? scope.states.get(scope.startAt.target) : undefined;
  const stack = start ? [start] : [];
  while (stack.length) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const r of s.refs) {
      const t = scope.states.get(r.target);
      if (t && !seen.has(t)) stack.push(t);
    }
  }
  return seen;
}

function addScope(ctx: Ctx, scope: Scope, parent: string | undefined, parentUnreachable: boolean): void {
  const prefix = scope.kind === 'root' ? '' : `${scope.id}/`;
  const markerBase = scope.id;
  const startId = uniqueId(ctx, `${markerBase}#start`);
  const endId = `${markerBase}#end`;
  const emptyRange = { offset: scope.node.offset, length: 0 };
  const marker = (id: string, kind: 'start' | 'end'): GraphNode => ({
    id,
    kind,
    name: '',
    type: kind,
    parent,
    range: emptyRange,
    isStart: false,
    isTerminal: false,
    unreachable: parentUnreachable,
    retryCount: 0,
  });
  ctx.nodes.push(marker(startId, 'start'));
  const reached = reachable(scope);
  const startState = scope.startAt ? scope.states.get(scope.startAt.target) : undefined;
  for (const s of scope.stateList) ctx.ids.set(s, uniqueId(ctx, `${prefix}${s.name}`));
  let hasEnd = false;
  for (const s of scope.stateList) {
    const id = ctx.ids.get(s)!;
    const terminal = s.type === 'Succeed' || s.type === 'Fail' || (s.end?.type === 'boolean' && s.end.value === true);
    const retry = getValue(s.node, 'Retry');
    const { kind, label } = resourceKindOf(s);
    const start = Math.min(s.keyNode.offset, s.node.offset);
    const node: GraphNode = {
      id,
      kind: 'state',
      name: s.name,
      type: s.type ?? 'Unknown',
      parent,
      range: {
        offset: start,
        length: Math.max(s.node.offset + s.node.length, s.keyNode.offset + s.keyNode.length) - start,
      },
      isStart: s === startState,
      isTerminal: terminal,
      unreachable: parentUnreachable || !reached.has(s),
      retryCount: retry?.type === 'array' ? (retry.children ?? []).length : 0,
    };
    if (kind) node.resourceKind = kind;
    if (label) node.resource = label;
    if (ctx.duplicates.has(s)) node.duplicate = true;
    ctx.nodes.push(node);
    if (terminal) {
      hasEnd = true;
      ctx.edges.push({ id: `${id}->end`, kind: 'end', source: id, target: endId });
    }
    addEdges(ctx, s, id);
    s.childScopes.forEach((child) => {
      const childId = uniqueId(ctx, child.id);
      ctx.nodes.push({
        id: childId,
        kind: 'scope',
        name: scopeLabel(child),
        type: child.kind,
        parent: id,
        range: { offset: child.node.offset, length: child.node.length },
        isStart: false,
        isTerminal: false,
        unreachable: node.unreachable,
        retryCount: 0,
      });
      addScope(ctx, child, childId, node.unreachable);
    });
  }
  if (startState)
    ctx.edges.push({
      id: `${startId}->${ctx.ids.get(startState)}`,
      kind: 'start',
      source: startId,
      target: ctx.ids.get(startState)!,
    });
  if (hasEnd) ctx.nodes.push(marker(endId, 'end'));
}

function addEdges(ctx: Ctx, s: StateInfo, id: string): void {
  const target = (name: string): string | undefined => {
    const t = s.scope.states.get(name);
    return t ? ctx.ids.get(t) : undefined;
  };
  const push = (e: Omit<GraphEdge, 'id'>, n: number): void => {
    ctx.edges.push({ id: `${id}->${e.kind}${n}->${e.target}`, ...e });
  };
  // Choice states ignore Next (they route by Choices/Default); the model collects it anyway
  if (s.next?.type === 'string' && s.type !== 'Choice') {
    const t = target(String(s.next.value));
    if (t) push({ kind: 'next', source: id, target: t }, 0);
  }
  if (s.type === 'Choice') {
    const choices = getValue(s.node, 'Choices');
    (choices?.type === 'array' ? (choices.children ?? []) : []).forEach((rule, i) => {
      const n = getValue(rule, 'Next');
      const t = n?.type === 'string' ? target(String(n.value)) : undefined;
      if (t) push({ kind: 'choice', source: id, target: t, label: choiceLabel(rule) }, i);
    });
    const def = getValue(s.node, 'Default');
    const t = def?.type === 'string' ? target(String(def.value)) : undefined;
    if (t) push({ kind: 'default', source: id, target: t, label: 'Default' }, 0);
  }
  const catchers = getValue(s.node, 'Catch');
  (catchers?.type === 'array' ? (catchers.children ?? []) : []).forEach((c, i) => {
    const n = getValue(c, 'Next');
    const t = n?.type === 'string' ? target(String(n.value)) : undefined;
    if (!t) return;
    const errors = stringsOf(getValue(c, 'ErrorEquals'));
    push({ kind: 'catch', source: id, target: t, label: catchLabel(errors), errors }, i);
  });
}

/** Attaches each diagnostic to the innermost state node containing it. */
function applyDiagnostics(nodes: GraphNode[], diagnostics: readonly GraphDiagnostic[]): void {
  const states = nodes.filter((n) => n.kind === 'state');
  for (const d of diagnostics) {
    let best: GraphNode | undefined;
    for (const n of states) {
      const { offset, length } = n.range;
      if (d.offset >= offset && d.offset <= offset + length && (!best || length < best.range.length)) best = n;
    }
    if (!best) continue;
    if (!best.severity || SEVERITY_RANK[d.severity] > SEVERITY_RANK[best.severity]) best.severity = d.severity;
    const p = (best.problems ??= { errors: 0, warnings: 0 });
    if (d.severity === 'error') p.errors++;
    else if (d.severity === 'warning') p.warnings++;
  }
}

/**
 * The graph of a machine model. `diagnostics` (e.g. the server's validation results) give each
 * node its highest severity. Unreachable states are kept and flagged. Never throws.
 */
export function buildGraph(model: MachineModel, diagnostics: readonly GraphDiagnostic[] = []): StateGraph {
  const ctx: Ctx = { nodes: [], edges: [], ids: new Map(), used: new Set(), duplicates: new Set(model.duplicates) };
  const graph: StateGraph = { nodes: ctx.nodes, edges: ctx.edges };
  const syntax = model.doc.problems.find((p) => p.severity === 'error');
  if (syntax) graph.problem = `Syntax error at line ${model.doc.positionAt(syntax.offset).line + 1}: ${syntax.message}`;
  if (!model.root) {
    graph.problem ??= 'The document is not a state machine object.';
    return graph;
  }
  try {
    addScope(ctx, model.root, undefined, false);
    applyDiagnostics(ctx.nodes, diagnostics);
  } catch (err) {
    graph.problem ??= `The graph could not be built: ${err instanceof Error ? err.message : String(err)}`;
  }
  return graph;
}

/** The innermost state node whose range contains `offset` (for "cursor moved → highlight"). */
export function graphNodeAtOffset(graph: StateGraph, offset: number): GraphNode | undefined {
  let best: GraphNode | undefined;
  for (const n of graph.nodes) {
    if (n.kind !== 'state') continue;
    const { offset: o, length } = n.range;
    if (offset >= o && offset <= o + length && (!best || length < best.range.length)) best = n;
  }
  return best;
}
