/**
 * Test coverage on the drawn graph: the states no test ran get a dotted outline and a hatched
 * fill, the others a badge with how often they ran, the transitions no test took are drawn
 * dotted in the "not covered" colour, each mark has a tooltip naming the coverage run, and the
 * legend strip gives the figures. A run overlay keeps the colours of its nodes (they say what
 * the last execution did); coverage then shows by outline, badge and tooltip only, so the two
 * never hide each other. The stroke colours stay the graph's own, so the cursor highlight,
 * focus and problem marks stay visible on covered and uncovered states alike.
 */
import { coverageMarks } from '../../../../asl/src/graph/coverage';
import type { GraphCoverage, GraphLayout, StateGraph } from '../../../../asl/src/graph/types';

/** The legend strip, its texts and the toolbar's Hide/Show toggle. */
export interface CoverageLegend {
  root: HTMLDivElement;
  text: HTMLSpanElement;
  /** "node colours show the last run", shown while a run overlay is on the graph */
  note: HTMLSpanElement;
  toggle: HTMLButtonElement;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const HATCH_ID = 'asl-cov-hatch';
const UNCOVERED = 'var(--vscode-editorError-foreground, #f14c4c)';
const HATCH = `color-mix(in srgb, ${UNCOVERED} 38%, transparent)`;
const BADGE_BG = 'var(--vscode-badge-background, #4d4d4d)';
const BADGE_FG = 'var(--vscode-badge-foreground, #ffffff)';

/** The webview's coverage styles (appended to its nonce'd stylesheet). */
export const COVERAGE_CSS = `
#coverage-legend { flex: none; display: flex; gap: 6px; align-items: center; padding: 3px 10px; font-size: 11px; color: var(--vscode-descriptionForeground); border-bottom: 1px solid var(--vscode-panel-border, transparent); }
#coverage-legend[hidden], #coverage-toggle[hidden], #coverage-note[hidden] { display: none; }
#coverage-legend .swatch { display: inline-block; min-width: 18px; height: 12px; border-radius: 6px; font-size: 9.5px; line-height: 12px; text-align: center; }
#coverage-legend .swatch.uncovered { border-radius: 2px; border: 1.5px dotted ${UNCOVERED}; background: repeating-linear-gradient(45deg, ${HATCH} 0 2px, transparent 2px 6px); }
#coverage-legend .swatch.hits { background: ${BADGE_BG}; color: ${BADGE_FG}; font-weight: 600; }
#coverage-legend > span:not(#coverage-text) { white-space: nowrap; }
#coverage-text { margin-left: 8px; }
.cov-pattern > .hatch { stroke: ${HATCH}; stroke-width: 3px; }
.node.cov-uncovered > .shape { stroke-dasharray: 2 3; }
.asl-graph:not(.run-overlay) .node.state:not(.compound):not(.debug-paused).cov-uncovered > .shape { fill: url(#${HATCH_ID}); }
.cov-badge > rect { fill: ${BADGE_BG}; }
.cov-badge > text { fill: ${BADGE_FG} !important; font-size: 10px; font-weight: 600; text-anchor: middle; }
.edge.cov-uncovered > path { stroke: ${UNCOVERED}; stroke-dasharray: 2 3; stroke-width: 1.5px; }
`;

const times = (n: number): string => `${n} time${n === 1 ? '' : 's'}`;

/** The hatch of uncovered states, once per drawn SVG (the renderer's <defs> is shared with exports). */
function addHatch(svg: SVGSVGElement): void {
  if (svg.querySelector(`#${HATCH_ID}`)) return;
  const pattern = document.createElementNS(SVG_NS, 'pattern');
  for (const [k, v] of Object.entries({
    id: HATCH_ID,
    class: 'cov-pattern',
    patternUnits: 'userSpaceOnUse',
    width: '8',
    height: '8',
    patternTransform: 'rotate(45)',
  }))
    pattern.setAttribute(k, v);
  const line = document.createElementNS(SVG_NS, 'line');
  for (const [k, v] of Object.entries({ class: 'hatch', x1: '0', y1: '0', x2: '0', y2: '8' })) line.setAttribute(k, v);
  pattern.append(line);
  let defs = svg.querySelector('defs');
  if (!defs) svg.prepend((defs = document.createElementNS(SVG_NS, 'defs')));
  defs.append(pattern);
}

/** A tooltip as the element's first <title> (the one the browser shows). */
function addTitle(g: Element, text: string): void {
  const title = document.createElementNS(SVG_NS, 'title');
  title.setAttribute('class', 'cov-title');
  title.textContent = text;
  g.prepend(title);
}

/** The "3×" badge straddling the bottom border of a state box, at its right. */
function addBadge(g: SVGGElement, box: { width: number; height: number }, text: string): void {
  const w = 10 + text.length * 6.5;
  const badge = document.createElementNS(SVG_NS, 'g');
  badge.setAttribute('class', 'cov-badge');
  badge.setAttribute('aria-hidden', 'true');
  const rect = document.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({ x: box.width - w - 6, y: box.height - 7, width: w, height: 14, rx: 7 }))
    rect.setAttribute(k, String(v));
  const label = document.createElementNS(SVG_NS, 'text');
  label.setAttribute('x', String(box.width - 6 - w / 2));
  label.setAttribute('y', String(box.height + 0.5));
  label.textContent = text;
  badge.append(rect, label);
  g.append(badge);
}

/** Removes the marks of an earlier call. */
function unmark(svg: SVGSVGElement): void {
  for (const e of svg.querySelectorAll('.cov-badge, title.cov-title')) e.remove();
  for (const e of svg.querySelectorAll('.cov-covered, .cov-uncovered'))
    e.classList.remove('cov-covered', 'cov-uncovered');
}

/** What `markCoverage` drew: the accessible-label suffix per node id. */
export type CoverageLabels = Map<string, string>;

/**
 * Marks `coverage` on the drawn graph (`nodeEls`: the state nodes by id) and fills the legend;
 * `hidden`: the user hid the marks (the toggle stays, to show them again). Returns the
 * accessible-label suffix of each marked node.
 */
export function markCoverage(
  svg: SVGSVGElement,
  graph: StateGraph,
  layout: GraphLayout,
  nodeEls: ReadonlyMap<string, SVGGElement>,
  coverage: GraphCoverage | undefined,
  hidden: boolean,
  legend: CoverageLegend,
): CoverageLabels {
  unmark(svg);
  const labels: CoverageLabels = new Map();
  const marks = coverage && coverageMarks(graph, coverage);
  // nothing of the report is left in the machine: no marks, no legend
  const any = !!marks && marks.totals.states + marks.totals.transitions > 0;
  legend.toggle.hidden = !any;
  legend.toggle.textContent = hidden ? 'Show coverage' : 'Hide coverage';
  legend.toggle.setAttribute('aria-pressed', String(!hidden));
  legend.root.hidden = !any || hidden;
  if (!coverage || !marks || !any || hidden) return labels;
  const { totals: t } = marks;
  legend.text.textContent = `${t.statesCovered}/${t.states} states, ${t.transitionsCovered}/${t.transitions} transitions covered by ${coverage.run}`;
  addHatch(svg);
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  for (const [id, hits] of Object.entries(marks.nodes)) {
    const g = nodeEls.get(id);
    const box = layout.nodes[id];
    if (!g || !box) continue;
    const name = names.get(id) ?? id;
    if (hits > 0) {
      g.classList.add('cov-covered');
      addBadge(g, box, `${hits}×`);
      addTitle(g, `${name}: ran ${times(hits)} in ${coverage.run}`);
      labels.set(id, `, covered: ran ${times(hits)}`);
    } else {
      g.classList.add('cov-uncovered');
      addTitle(g, `${name}: not covered by ${coverage.run}`);
      labels.set(id, `, not covered by ${coverage.run}`);
    }
  }
  for (const e of svg.querySelectorAll<SVGGElement>('g.edge')) {
    const hits = marks.edges[e.getAttribute('data-id') ?? ''];
    if (hits === undefined) continue;
    e.classList.add(hits > 0 ? 'cov-covered' : 'cov-uncovered');
    addTitle(e, hits > 0 ? `Taken ${times(hits)} in ${coverage.run}` : `Not taken in ${coverage.run}`);
  }
  return labels;
}
