/**
 * dist/webview.js: the graph preview inside the webview. Receives typed messages from the
 * host, lays graphs out in the elkjs worker (newest version only; stale ones dropped), draws
 * them with the shared SVG renderer, keeps the viewport across updates and the last good
 * graph while the document does not parse, applies the run overlay and the debugger's marks
 * (a breakpoint dot on every state, the paused states) and the test coverage marks
 * (coverage.ts), and posts reveal/export/breakpoint messages back. No data ever goes through
 * HTML: it arrives by postMessage only.
 */
import { fastLayout } from '../../../../asl/src/graph/fastLayout';
import { GEOMETRY } from '../../../../asl/src/graph/geometry';
import { ELK_MAX_NODES, layoutGraph } from '../../../../asl/src/graph/layout';
import { ariaLabel, counterText, renderSvg } from '../../../../asl/src/graph/svg';
import {
  OVERLAY_STATUSES,
  type GraphCoverage,
  type GraphLayout,
  type GraphNode,
  type GraphOverlay,
  type StateGraph,
} from '../../../../asl/src/graph/types';
import {
  assertNever,
  type DescriptionMessage,
  type DrawnNode,
  type GraphMessage,
  type HostToWebview,
  type WebviewState,
  type WebviewToHost,
} from '../messages';
import { markCoverage as markCoverageOn, type CoverageLabels } from './coverage';
import { exportSvg, svgToPng } from './exportImage';
import { WorkerElk } from './layoutClient';
import { buildUi } from './ui';
import { nearestInDirection, Viewport, type Direction } from './viewport';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  setState(state: WebviewState): void;
  getState(): WebviewState | undefined;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const script = document.currentScript as HTMLScriptElement | null;
const nonce = script?.nonce ?? '';
const workerUrl = script?.dataset.worker ?? 'elkWorker.js';

function post(message: WebviewToHost): void {
  api.postMessage(message);
}

const { canvas, banner, status, buttons, coverage: legend } = buildUi(nonce);

const viewport = new Viewport(canvas);
const elk = new WorkerElk(workerUrl, (message) => post({ type: 'error', message }));

// ---------------------------------------------------------------- state
interface Shown {
  uri: string;
  version: number;
  graph: StateGraph;
  layout: GraphLayout;
  /** when the drawn version arrived (`performance.now()`): the banner says how old it is */
  receivedAt: number;
}
let shown: Shown | undefined;
let newest = -1;
let queued: GraphMessage | undefined;
let busy = false;
let overlay: GraphOverlay | undefined;
/** node ids with a breakpoint; node ids or state names paused in a debug session */
let marks: { breakpoints: Set<string>; paused: Set<string> } = { breakpoints: new Set(), paused: new Set() };
let coverage: GraphCoverage | undefined;
/** the user hid the coverage marks with the toolbar toggle */
let coverageHidden = false;
let coverageLabels: CoverageLabels = new Map();
let highlighted: string | null = null;
let nodeEls = new Map<string, SVGGElement>();
let stateIds: string[] = [];
let byId = new Map<string, GraphNode>();
const receivedAt = new Map<number, number>();
let refineWanted: GraphMessage | undefined;
let refining = false;
let shownEngine: 'elk' | 'fast' = 'fast';

function showBanner(text: string | undefined): void {
  banner.hidden = !text;
  banner.textContent = text ?? '';
}

/** Accepts a graph message: drops stale versions, lays out only the newest one. */
function receiveGraph(msg: GraphMessage): void {
  if (shown && msg.uri !== shown.uri) newest = -1; // another document: versions restart
  if (msg.version < newest) return;
  newest = msg.version;
  for (const k of receivedAt.keys()) if (k < msg.version - 20) receivedAt.delete(k);
  receivedAt.set(msg.version, performance.now());
  api.setState({ uri: msg.uri });
  queued = msg;
  if (!busy) void drain();
}

async function drain(): Promise<void> {
  busy = true;
  try {
    while (queued) {
      const msg = queued;
      queued = undefined;
      await show(msg);
    }
  } finally {
    busy = false;
  }
}

function report(msg: GraphMessage, engine: 'elk' | 'fast', layoutMs: number, renderMs: number): void {
  const t = receivedAt.get(msg.version);
  post({
    type: 'rendered',
    version: msg.version,
    nodes: msg.graph.nodes.length,
    edges: msg.graph.edges.length,
    layoutMs,
    renderMs,
    totalMs: t === undefined ? layoutMs + renderMs : performance.now() - t,
    engine,
    banner: msg.graph.problem,
  });
}

/** How long ago something happened, in the words of the banner ("just now", "3 s ago", "2 min ago"). */
function age(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'just now';
  return s < 60 ? `${s} s ago` : `${Math.floor(s / 60)} min ago`;
}

/** A message as a sentence: ends with a full stop unless it already has an end mark. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

async function show(msg: GraphMessage): Promise<void> {
  const sameDoc = shown?.uri === msg.uri;
  if (msg.graph.problem && sameDoc && shown) {
    // unparseable while typing: keep the last good graph, say why
    showBanner(
      `${sentence(msg.graph.problem)} Showing the last graph that parsed (${age(performance.now() - shown.receivedAt)}); it updates when the document parses again.`,
    );
    post({
      type: 'rendered',
      version: msg.version,
      nodes: 0,
      edges: 0,
      layoutMs: 0,
      renderMs: 0,
      totalMs: 0,
      engine: 'fast',
      banner: banner.textContent ?? '',
    });
    return;
  }
  // every graph: the linear-time layout first, drawn at once (elkjs's worker takes about a
  // second to start, and long on big graphs), refined with elkjs in the worker; once elkjs has
  // drawn a document its edits stay with elkjs, so they do not flip between two layouts; huge
  // graphs: the linear-time one only
  const count = msg.graph.nodes.length;
  const big = count > ELK_MAX_NODES || !(sameDoc && shownEngine === 'elk');
  const t0 = performance.now();
  let layout: GraphLayout;
  try {
    layout = big ? fastLayout(msg.graph) : await layoutGraph(msg.graph, elk);
  } catch (err) {
    post({ type: 'error', message: `layout failed: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  if (queued && queued.uri === msg.uri && queued.version > msg.version && !queued.graph.problem) return; // superseded meanwhile
  const t1 = performance.now();
  draw(msg, layout, !sameDoc || !shown);
  const t2 = performance.now();
  showBanner(msg.graph.problem ? `${msg.graph.problem}` : undefined);
  const nodes = msg.graph.nodes.filter((n) => n.kind === 'state').length;
  status.textContent = `${nodes} state${nodes === 1 ? '' : 's'}${big && msg.graph.nodes.length <= ELK_MAX_NODES ? ' — refining layout…' : ''}`;
  shownEngine = big ? 'fast' : 'elk';
  report(msg, shownEngine, t1 - t0, t2 - t1);
  if (big && msg.graph.nodes.length <= ELK_MAX_NODES) {
    refineWanted = msg;
    if (!refining) void refine();
  }
}

/** elkjs layouts of big graphs, one at a time, newest wanted version only; dropped if stale. */
async function refine(): Promise<void> {
  refining = true;
  try {
    while (refineWanted) {
      const msg = refineWanted;
      refineWanted = undefined;
      const t0 = performance.now();
      let layout: GraphLayout;
      try {
        layout = await layoutGraph(msg.graph, elk);
      } catch (err) {
        post({ type: 'error', message: `layout failed: ${err instanceof Error ? err.message : String(err)}` });
        continue;
      }
      if (!shown || shown.uri !== msg.uri || shown.version !== msg.version || queued || busy) continue;
      const t1 = performance.now();
      // the first view was fitted to the quick layout: fit the refined one too, unless the user
      // has zoomed or panned since
      draw(msg, layout, viewport.untouched);
      shownEngine = 'elk';
      const nodes = msg.graph.nodes.filter((n) => n.kind === 'state').length;
      status.textContent = `${nodes} state${nodes === 1 ? '' : 's'}`;
      report(msg, 'elk', t1 - t0, performance.now() - t1);
    }
  } finally {
    refining = false;
  }
}

function draw(msg: GraphMessage, layout: GraphLayout, fit: boolean): void {
  const focusedId =
    (document.activeElement as Element | null)?.closest?.('[data-id]')?.getAttribute('data-id') ?? undefined;
  const text = renderSvg(msg.graph, layout, {}, overlay);
  // parsed as XML (the renderer escapes every value); inserting adopts it without a deep copy
  const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement as unknown as SVGSVGElement;
  canvas.replaceChildren(svg);
  shown = {
    uri: msg.uri,
    version: msg.version,
    graph: msg.graph,
    layout,
    receivedAt: receivedAt.get(msg.version) ?? performance.now(),
  };
  nodeEls = new Map();
  for (const g of svg.querySelectorAll<SVGGElement>('g.node.state')) nodeEls.set(g.getAttribute('data-id') ?? '', g);
  byId = new Map(msg.graph.nodes.map((n) => [n.id, n]));
  stateIds = msg.graph.nodes.filter((n) => n.kind === 'state').map((n) => n.id);
  for (const [id, g] of nodeEls) addBreakpointDot(g, layout.nodes[id]?.height ?? GEOMETRY.stateHeight);
  viewport.attach(svg, layout);
  if (fit) viewport.initial();
  markCoverage(svg);
  decorate();
  setHighlight(highlighted, false);
  if (focusedId) nodeEls.get(focusedId)?.focus({ preventScroll: true });
}

function setHighlight(id: string | null, reveal: boolean): void {
  for (const g of canvas.querySelectorAll('.node.highlighted')) g.classList.remove('highlighted');
  highlighted = id;
  const g = id ? nodeEls.get(id) : undefined;
  if (!g || !id) return;
  g.classList.add('highlighted');
  if (reveal) viewport.reveal(id);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The breakpoint dot on a state's left edge, centred on its header: hidden until the node is
 * hovered or has a breakpoint (like the editor's gutter); clicking it toggles the breakpoint.
 */
function addBreakpointDot(g: SVGGElement, height: number): void {
  const dot = document.createElementNS(SVG_NS, 'circle');
  dot.setAttribute('class', 'bp-dot');
  dot.setAttribute('cx', '0');
  dot.setAttribute('cy', String(Math.min(height, GEOMETRY.stateHeader) / 2));
  dot.setAttribute('r', '6');
  const title = document.createElementNS(SVG_NS, 'title');
  title.textContent = 'Toggle breakpoint (F9)';
  dot.append(title);
  g.append(dot);
}

/** Marks the test coverage on the drawn graph (`svg`: the one drawn now). */
function markCoverage(svg = canvas.querySelector<SVGSVGElement>('svg.asl-graph')): void {
  if (!svg || !shown) return;
  coverageLabels = markCoverageOn(svg, shown.graph, shown.layout, nodeEls, coverage, coverageHidden, legend);
}

/** Applies the run overlay and the debug marks to the drawn nodes (classes, counters, labels). */
function decorate(): void {
  canvas.querySelector('svg.asl-graph')?.classList.toggle('run-overlay', !!overlay);
  legend.note.hidden = !overlay;
  for (const [id, g] of nodeEls) {
    for (const s of OVERLAY_STATUSES) g.classList.remove(`status-${s}`);
    const node = byId.get(id);
    // keys are node ids; a plain state name is accepted too (names are unique in a machine)
    const o = overlay?.states[id] ?? (node ? overlay?.states[node.name] : undefined);
    if (o) g.classList.add(`status-${o.status}`);
    const counter = g.querySelector(':scope > .counter');
    if (counter) counter.textContent = counterText(o);
    const breakpoint = marks.breakpoints.has(id);
    const paused = marks.paused.has(id) || (!!node && marks.paused.has(node.name));
    g.classList.toggle('breakpoint', breakpoint);
    g.classList.toggle('debug-paused', paused);
    if (node)
      g.setAttribute(
        'aria-label',
        ariaLabel(node, o) +
          (coverageLabels.get(id) ?? '') +
          (breakpoint ? ', breakpoint' : '') +
          (paused ? ', paused in the debugger' : ''),
      );
  }
}

function applyOverlay(next: GraphOverlay): void {
  overlay = Object.keys(next.states).length ? next : undefined;
  decorate();
}

function applyDebugMarks(breakpoints: readonly string[], paused: readonly string[]): void {
  marks = { breakpoints: new Set(breakpoints), paused: new Set(paused) };
  decorate();
}

function applyCoverage(next: GraphCoverage | null): void {
  coverage = next ?? undefined;
  coverageHidden = false;
  markCoverage();
  decorate();
}

function toggleCoverage(): void {
  coverageHidden = !coverageHidden;
  markCoverage();
  decorate();
}

function toggleBreakpoint(id: string): void {
  if (byId.get(id)?.kind === 'state') post({ type: 'toggleBreakpoint', nodeId: id });
}

function reveal(id: string): void {
  const n = byId.get(id);
  if (n) post({ type: 'reveal', nodeId: id, range: n.range });
}

async function exportAs(format: 'svg' | 'png'): Promise<void> {
  if (!shown) return;
  try {
    const svg = exportSvg(shown.graph, shown.layout, overlay);
    if (format === 'svg') post({ type: 'export', format, data: svg });
    else post({ type: 'export', format, data: await svgToPng(svg, shown.layout.width + 32, shown.layout.height + 32) });
  } catch (err) {
    post({ type: 'error', message: `export failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

/** What is drawn now, for the host's `describe` request. */
function describe(requestId: number): DescriptionMessage {
  const nodes: DrawnNode[] = [];
  for (const [id, g] of nodeEls) {
    const counter = g.querySelector(':scope > .counter')?.textContent ?? '';
    const hits = g.querySelector(':scope > .cov-badge')?.textContent ?? '';
    const coverageTitle = g.querySelector(':scope > title.cov-title')?.textContent ?? '';
    nodes.push({
      id,
      classes: [...g.classList],
      ariaLabel: g.getAttribute('aria-label') ?? '',
      ...(counter ? { counter } : {}),
      ...(hits ? { hits } : {}),
      ...(coverageTitle ? { coverageTitle } : {}),
    });
  }
  return {
    type: 'description',
    requestId,
    version: shown?.version ?? -1,
    nodes,
    edges: canvas.querySelectorAll('g.edge').length,
    uncoveredEdges: [...canvas.querySelectorAll('g.edge.cov-uncovered')].map((e) => e.getAttribute('data-id') ?? ''),
    banner: banner.hidden ? undefined : (banner.textContent ?? undefined),
    coverageLegend: legend.root.hidden ? undefined : (legend.text.textContent ?? undefined),
  };
}

// ---------------------------------------------------------------- events
canvas.addEventListener('click', (e) => {
  const g = (e.target as Element).closest?.('g.node.state');
  const id = g?.getAttribute('data-id');
  if (!id) return;
  (g as SVGGElement).focus({ preventScroll: true });
  if ((e.target as Element).closest('.bp-dot')) toggleBreakpoint(id);
  else reveal(id);
});
canvas.addEventListener('keydown', (e) => {
  const g = (e.target as Element).closest?.('g.node.state');
  const id = g?.getAttribute('data-id') ?? undefined;
  if ((e.key === 'Enter' || e.key === ' ') && id) {
    e.preventDefault();
    reveal(id);
  } else if (e.key === 'F9' && id) {
    e.preventDefault();
    toggleBreakpoint(id);
  } else if (e.key.startsWith('Arrow') && shown) {
    e.preventDefault();
    const from = id ?? highlighted ?? stateIds[0];
    const to =
      from && (from === id || from === highlighted)
        ? nearestInDirection(shown.layout, stateIds, from, e.key as Direction)
        : from;
    if (to) {
      nodeEls.get(to)?.focus({ preventScroll: true });
      viewport.reveal(to);
    }
  } else if (e.key === '+' || e.key === '=') viewport.zoom(1.2);
  else if (e.key === '-') viewport.zoom(1 / 1.2);
  else if (e.key === '0') viewport.fit();
});
buttons.fit.addEventListener('click', () => viewport.fit());
buttons.zoomIn.addEventListener('click', () => viewport.zoom(1.2));
buttons.zoomOut.addEventListener('click', () => viewport.zoom(1 / 1.2));
buttons.svg.addEventListener('click', () => void exportAs('svg'));
buttons.png.addEventListener('click', () => void exportAs('png'));
legend.toggle.addEventListener('click', toggleCoverage);

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const msg = ev.data;
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
  switch (msg.type) {
    case 'graph':
      receiveGraph(msg);
      break;
    case 'highlight':
      setHighlight(msg.nodeId, true);
      break;
    case 'overlay':
      applyOverlay({ version: msg.version, states: msg.states ?? {} });
      break;
    case 'debugMarks':
      applyDebugMarks(msg.breakpoints, msg.paused);
      break;
    case 'coverage':
      applyCoverage(msg.coverage);
      break;
    case 'fit':
      viewport.fit();
      break;
    case 'describe':
      post(describe(msg.requestId));
      break;
    default:
      assertNever(msg);
  }
});

post({ type: 'ready' });
