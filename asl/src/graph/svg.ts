/**
 * The SVG renderer shared by the webview and the CLI: a pure function from a graph and its
 * layout to SVG text. Every text and attribute value is XML-escaped; styling is by class
 * (no style attributes, so a strict CSP needs no 'unsafe-inline'); colours come from
 * graphCss() — embedded for exports, a nonce'd stylesheet in the webview.
 */
import { GEOMETRY } from './geometry';
import { graphCss, type GraphPalette } from './theme';
import type { GraphEdge, GraphLayout, GraphNode, GraphOverlay, NodeOverlay, StateGraph } from './types';

/** Rendering options. */
export interface SvgTheme {
  /** embed a <style> with these colours (exports); omit for the webview's own stylesheet */
  palette?: GraphPalette;
  /** extra margin around the drawing, px (default 16) */
  margin?: number;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

const r1 = (n: number): string => String(Math.round(n * 10) / 10);

function fit(text: string, width: number, charWidth: number): string {
  const max = Math.max(3, Math.floor(width / charWidth));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Counter text for Map iterations / Parallel branches, e.g. "3/10 ✓2 ✗1". */
export function counterText(o: NodeOverlay | undefined): string {
  const it = o?.iterations;
  if (!it) return '';
  const done = it.succeeded + it.failed;
  return `${done}/${it.total}${it.running ? ` ▶${it.running}` : ''}${it.failed ? ` ✗${it.failed}` : ''}`;
}

/** Accessible label of a node: type, name, resource, retries, problems, status. */
export function ariaLabel(n: GraphNode, o?: NodeOverlay): string {
  const parts = [`${n.type} state ${n.name}`];
  if (n.isStart) parts.push('start');
  if (n.isTerminal) parts.push('end');
  if (n.resource) parts.push(n.resource);
  if (n.retryCount) parts.push(`${n.retryCount} retry rule${n.retryCount > 1 ? 's' : ''}`);
  if (n.problems?.errors) parts.push(`${n.problems.errors} error${n.problems.errors > 1 ? 's' : ''}`);
  if (n.problems?.warnings) parts.push(`${n.problems.warnings} warning${n.problems.warnings > 1 ? 's' : ''}`);
  if (n.unreachable) parts.push('unreachable');
  if (o) parts.push(`status ${o.status}`);
  const c = counterText(o);
  if (c) parts.push(`iterations ${c}`);
  return parts.join(', ');
}

/** The outline of a state box, by type (distinct shape per state type). */
function shape(type: string, w: number, h: number, compound: boolean): string {
  if (compound) return `<rect class="shape" width="${r1(w)}" height="${r1(h)}" rx="8"/>`;
  switch (type) {
    case 'Choice': {
      const i = Math.min(14, w / 4);
      return `<polygon class="shape" points="${r1(i)},0 ${r1(w - i)},0 ${r1(w)},${r1(h / 2)} ${r1(w - i)},${r1(h)} ${r1(i)},${r1(h)} 0,${r1(h / 2)}"/>`;
    }
    case 'Wait':
      return `<rect class="shape" width="${r1(w)}" height="${r1(h)}" rx="${r1(h / 2)}"/>`;
    case 'Pass':
      return `<rect class="shape" width="${r1(w)}" height="${r1(h)}" rx="1"/>`;
    case 'Fail': {
      const c = 8;
      return `<polygon class="shape" points="${c},0 ${r1(w - c)},0 ${r1(w)},${c} ${r1(w)},${r1(h - c)} ${r1(w - c)},${r1(h)} ${c},${r1(h)} 0,${r1(h - c)} 0,${c}"/>`;
    }
    case 'Succeed':
      return `<rect class="shape" width="${r1(w)}" height="${r1(h)}" rx="14"/><rect class="shape inner" x="3" y="3" width="${r1(w - 6)}" height="${r1(h - 6)}" rx="11" fill="none"/>`;
    default:
      return `<rect class="shape" width="${r1(w)}" height="${r1(h)}" rx="6"/>`;
  }
}

function renderNode(
  n: GraphNode,
  box: GraphLayout['nodes'][string],
  compound: boolean,
  o: NodeOverlay | undefined,
): string {
  const { x, y, width: w, height: h } = box;
  const id = escapeXml(n.id);
  const common = `data-id="${id}" transform="translate(${r1(x)},${r1(y)})"`;
  if (n.kind === 'start' || n.kind === 'end') {
    const r = w / 2;
    const body =
      n.kind === 'start'
        ? `<circle cx="${r1(r)}" cy="${r1(r)}" r="${r1(r - 2)}"/>`
        : `<circle class="ring" cx="${r1(r)}" cy="${r1(r)}" r="${r1(r - 1)}"/><circle cx="${r1(r)}" cy="${r1(r)}" r="${r1(r - 5)}"/>`;
    return `<g class="marker ${n.kind}" ${common} aria-hidden="true">${body}</g>`;
  }
  if (n.kind === 'scope') {
    return `<g class="node scope${n.unreachable ? ' unreachable' : ''}" ${common}><rect class="shape" width="${r1(w)}" height="${r1(h)}" rx="4"/><text class="name" x="8" y="${GEOMETRY.scopeHeader / 2}">${escapeXml(n.name)}</text></g>`;
  }
  const classes = ['node', 'state', `type-${n.type.toLowerCase().replace(/[^a-z0-9-]/g, '')}`];
  if (compound) classes.push('compound');
  if (n.severity) classes.push(`sev-${n.severity}`);
  if (n.unreachable) classes.push('unreachable');
  if (n.isStart) classes.push('start-state');
  if (o) classes.push(`status-${o.status}`);
  const headerH = compound ? GEOMETRY.stateHeader : h;
  const iconW = n.resourceKind === 'ecs' || n.resourceKind === 'eks' ? 22 : 0;
  const textX = (n.type === 'Choice' && !compound ? 16 : 10) + iconW;
  let right = w - 8;
  const parts: string[] = [shape(n.type, w, h, compound)];
  if (iconW)
    parts.push(
      `<g class="icon ${n.resourceKind}"><rect x="8" y="${r1(headerH / 2 - 8)}" width="18" height="16" rx="3"/><text class="icon-text" x="17" y="${r1(headerH / 2 + 0.5)}">${n.resourceKind === 'ecs' ? 'ECS' : 'EKS'}</text></g>`,
    );
  if (n.severity) {
    parts.push(
      `<circle class="badge sev-${n.severity}" cx="${r1(right - 7)}" cy="10" r="7"/><text class="badge-text" x="${r1(right - 7)}" y="10.5">${n.severity === 'error' ? '!' : n.severity === 'warning' ? '!' : 'i'}</text>`,
    );
    right -= 18;
  }
  if (n.retryCount) {
    parts.push(
      `<rect class="retry-badge" x="${r1(right - 22)}" y="3" width="22" height="14" rx="7"/><text class="retry-text" x="${r1(right - 11)}" y="10.5">↻${n.retryCount}</text>`,
    );
    right -= 26;
  }
  const subtitle = n.resource ?? n.type;
  const name = fit(n.name, right - textX, GEOMETRY.charWidth);
  const sub = fit(subtitle, w - textX - 8, 6);
  // a tooltip only where text was cut (fewer elements on big graphs; aria-label has it all)
  if (name !== n.name || sub !== subtitle) parts.push(`<title>${escapeXml(`${n.name} — ${subtitle}`)}</title>`);
  parts.push(`<text class="name" x="${textX}" y="${r1(headerH / 2 - 7)}">${escapeXml(name)}</text>`);
  parts.push(`<text class="subtitle" x="${textX}" y="${r1(headerH / 2 + 9)}">${escapeXml(sub)}</text>`);
  if (compound)
    parts.push(`<text class="counter" x="${r1(w - 16)}" y="${r1(headerH - 9)}">${escapeXml(counterText(o))}</text>`);
  return `<g class="${classes.join(' ')}" ${common} tabindex="0" role="button" aria-label="${escapeXml(ariaLabel(n, o))}">${parts.join('')}</g>`;
}

function renderEdge(e: GraphEdge, geo: GraphLayout['edges'][string] | undefined): string {
  if (!geo || geo.points.length < 2) return '';
  const d = geo.points.map((p, i) => `${i ? 'L' : 'M'}${r1(p.x)} ${r1(p.y)}`).join(' ');
  let label = '';
  if (e.label && geo.label) {
    const l = geo.label;
    label = `<rect class="label-bg" x="${r1(l.x)}" y="${r1(l.y)}" width="${r1(l.width)}" height="${r1(l.height)}" rx="3"/><text class="label" x="${r1(l.x + 4)}" y="${r1(l.y + l.height / 2 + 0.5)}">${escapeXml(e.label)}</text>`;
  }
  return `<g class="edge kind-${e.kind}" data-id="${escapeXml(e.id)}" data-source="${escapeXml(e.source)}" data-target="${escapeXml(e.target)}"><path d="${d}" marker-end="url(#asl-arrow)"/>${label}</g>`;
}

/** Depth of a node in the containment tree (compound nodes drawn before their children). */
function depths(graph: StateGraph): Map<string, number> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  const depth = (n: GraphNode): number => {
    const known = out.get(n.id);
    if (known !== undefined) return known;
    const p = n.parent ? byId.get(n.parent) : undefined;
    const d = p && p !== n ? depth(p) + 1 : 0;
    out.set(n.id, d);
    return d;
  };
  graph.nodes.forEach(depth);
  return out;
}

/**
 * Renders the graph as a standalone SVG document. Nodes without a position in `layout` are
 * skipped. `overlay` colours nodes by run status.
 */
export function renderSvg(
  graph: StateGraph,
  layout: GraphLayout,
  theme: SvgTheme = {},
  overlay?: GraphOverlay,
): string {
  const m = theme.margin ?? 16;
  const W = layout.width + 2 * m;
  const H = layout.height + 2 * m;
  const compound = new Set(graph.nodes.filter((n) => n.parent).map((n) => n.parent!));
  const depth = depths(graph);
  const ordered = graph.nodes.filter((n) => layout.nodes[n.id]);
  const containers = ordered.filter((n) => compound.has(n.id)).sort((a, b) => depth.get(a.id)! - depth.get(b.id)!);
  const leaves = ordered.filter((n) => !compound.has(n.id));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="asl-graph" width="${r1(W)}" height="${r1(H)}" viewBox="${r1(-m)} ${r1(-m)} ${r1(W)} ${r1(H)}" role="group" aria-label="State machine graph">`,
  ];
  if (theme.palette)
    out.push(
      `<style>${graphCss(theme.palette)}</style><rect class="background" x="${r1(-m)}" y="${r1(-m)}" width="${r1(W)}" height="${r1(H)}" fill="${escapeXml(theme.palette.background)}"/>`,
    );
  out.push(
    '<defs><marker id="asl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0 0 L10 5 L0 10 z"/></marker></defs>',
  );
  out.push('<g class="viewport">');
  out.push('<g class="containers">');
  for (const n of containers) out.push(renderNode(n, layout.nodes[n.id], true, overlay?.states[n.id]));
  out.push('</g><g class="edges">');
  for (const e of graph.edges) out.push(renderEdge(e, layout.edges[e.id]));
  out.push('</g><g class="nodes">');
  for (const n of leaves) out.push(renderNode(n, layout.nodes[n.id], false, overlay?.states[n.id]));
  out.push('</g></g></svg>');
  return out.join('');
}
