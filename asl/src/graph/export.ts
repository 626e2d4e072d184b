/**
 * Text exports of the state graph: Graphviz DOT (compound nodes as clusters) and Mermaid
 * flowcharts (compound nodes as subgraphs). Same graph as the preview.
 */
import type { GraphNode, StateGraph } from './types';

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const DOT_SHAPES: Record<string, string> = {
  Choice: 'hexagon',
  Wait: 'oval',
  Pass: 'box',
  Succeed: 'doubleoctagon',
  Fail: 'octagon',
  Task: 'box',
};

function childrenOf(graph: StateGraph): Map<string | undefined, GraphNode[]> {
  const m = new Map<string | undefined, GraphNode[]>();
  for (const n of graph.nodes) {
    const list = m.get(n.parent) ?? [];
    list.push(n);
    m.set(n.parent, list);
  }
  return m;
}

/** Graphviz DOT text of the graph. */
export function toDot(graph: StateGraph): string {
  const kids = childrenOf(graph);
  const lines = [
    'digraph StateMachine {',
    '  rankdir=TB;',
    '  compound=true;',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  let cluster = 0;
  const emit = (parent: string | undefined, indent: string): void => {
    for (const n of kids.get(parent) ?? []) {
      const inner = kids.get(n.id);
      if (inner?.length) {
        lines.push(`${indent}subgraph cluster_${cluster++} {`);
        lines.push(`${indent}  label=${dotString(n.kind === 'state' ? `${n.name} (${n.type})` : n.name)};`);
        lines.push(`${indent}  style=${n.kind === 'scope' ? 'dashed' : 'rounded'};`);
        // an invisible anchor so edges can attach to the compound state
        lines.push(`${indent}  ${dotString(n.id)} [shape=point, style=invis];`);
        emit(n.id, indent + '  ');
        lines.push(`${indent}}`);
      } else if (n.kind === 'start')
        lines.push(`${indent}${dotString(n.id)} [shape=circle, style=filled, fillcolor=black, label="", width=0.2];`);
      else if (n.kind === 'end')
        lines.push(
          `${indent}${dotString(n.id)} [shape=doublecircle, style=filled, fillcolor=black, label="", width=0.15];`,
        );
      else {
        const attrs = [
          `label=${dotString(n.resource ? `${n.name}\n${n.resource}` : n.name)}`,
          `shape=${DOT_SHAPES[n.type] ?? 'box'}`,
        ];
        if (n.type === 'Task') attrs.push('style=rounded');
        if (n.unreachable) attrs.push('style=dashed');
        if (n.severity === 'error') attrs.push('color=red');
        else if (n.severity === 'warning') attrs.push('color=orange');
        lines.push(`${indent}${dotString(n.id)} [${attrs.join(', ')}];`);
      }
    }
  };
  emit(undefined, '  ');
  for (const e of graph.edges) {
    const attrs: string[] = [];
    if (e.label) attrs.push(`label=${dotString(e.label)}`);
    if (e.kind === 'catch') attrs.push('style=dashed', 'color=darkorange');
    if (e.kind === 'default') attrs.push('style=dotted');
    lines.push(`  ${dotString(e.source)} -> ${dotString(e.target)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function mermaidText(s: string): string {
  // Mermaid labels are quoted; quotes and angle brackets become HTML entities
  return `"${s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;
}

/** Mermaid flowchart text of the graph (node ids are n0, n1, ... to avoid escaping issues). */
export function toMermaid(graph: StateGraph): string {
  const kids = childrenOf(graph);
  const short = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart TD'];
  const emit = (parent: string | undefined, indent: string): void => {
    for (const n of kids.get(parent) ?? []) {
      const id = short.get(n.id)!;
      const inner = kids.get(n.id);
      if (inner?.length) {
        lines.push(`${indent}subgraph ${id}[${mermaidText(n.kind === 'state' ? `${n.name} (${n.type})` : n.name)}]`);
        lines.push(`${indent}  direction TB`);
        emit(n.id, indent + '  ');
        lines.push(`${indent}end`);
      } else if (n.kind === 'start') lines.push(`${indent}${id}(( ))`);
      else if (n.kind === 'end') lines.push(`${indent}${id}((( )))`);
      else {
        const label = mermaidText(n.resource ? `${n.name}<br/>${n.resource}` : n.name).replace('#lt;br/#gt;', '<br/>');
        const open =
          n.type === 'Choice'
            ? '{{'
            : n.type === 'Wait'
              ? '(['
              : n.type === 'Succeed' || n.type === 'Fail'
                ? '[['
                : '[';
        const close =
          n.type === 'Choice'
            ? '}}'
            : n.type === 'Wait'
              ? '])'
              : n.type === 'Succeed' || n.type === 'Fail'
                ? ']]'
                : ']';
        lines.push(`${indent}${id}${open}${label}${close}`);
      }
    }
  };
  emit(undefined, '  ');
  for (const e of graph.edges) {
    const s = short.get(e.source);
    const t = short.get(e.target);
    if (!s || !t) continue;
    const arrow = e.kind === 'catch' || e.kind === 'default' ? '-.->' : '-->';
    lines.push(`  ${s} ${arrow}${e.label ? `|${mermaidText(e.label)}|` : ''} ${t}`);
  }
  return lines.join('\n') + '\n';
}
