/**
 * dist/webview.js: the graph preview inside the webview. Receives typed messages from the
 * host, lays graphs out in the elkjs worker (newest version only; stale ones dropped), draws
 * them with the shared SVG renderer, keeps the viewport across updates and the last good
 * graph while the document does not parse, applies the run overlay, and posts reveal/export
 * messages back. No data ever goes through HTML: it arrives by postMessage only.
 */
import { fastLayout } from '../../../../asl/src/graph/fastLayout';
import { ELK_FAST_SETTINGS_NODES, ELK_MAX_NODES, layoutGraph } from '../../../../asl/src/graph/layout';
import { ariaLabel, counterText, renderSvg } from '../../../../asl/src/graph/svg';
import { graphCss, VSCODE_PALETTE } from '../../../../asl/src/graph/theme';
import {
  OVERLAY_STATUSES,
  type GraphLayout,
  type GraphNode,
  type GraphOverlay,
  type StateGraph,
} from '../../../../asl/src/graph/types';
import { assertNever, type GraphMessage, type HostToWebview, type WebviewState, type WebviewToHost } from '../messages';
import { exportSvg, svgToPng } from './exportImage';
import { WorkerElk } from './layoutClient';
import { nearestInDirection, Viewport, type Direction } from './viewport';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  setState(state: WebviewState): void;
  getState(): WebviewState | undefined;
}
declare function acquireVsCodeApi(): VsCodeApi;

const UI_CSS = `
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; background: var(--vscode-editor-background, #1e1e1e); color: var(--vscode-editor-foreground, #d4d4d4); font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); }
#app { display: flex; flex-direction: column; height: 100%; }
#toolbar { display: flex; gap: 4px; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, transparent); flex: none; align-items: center; }
#toolbar button { background: var(--vscode-button-secondaryBackground, #3a3d41); color: var(--vscode-button-secondaryForeground, #fff); border: none; padding: 3px 8px; border-radius: 2px; cursor: pointer; font: inherit; }
#toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground, #45494e); }
#toolbar button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
#toolbar .spacer { flex: 1; }
#status { color: var(--vscode-descriptionForeground); font-size: 11px; }
#banner { flex: none; padding: 6px 10px; background: var(--vscode-inputValidation-warningBackground, #352a05); border-bottom: 1px solid var(--vscode-inputValidation-warningBorder, #b89500); }
#banner[hidden] { display: none; }
#canvas { flex: 1; position: relative; overflow: hidden; cursor: grab; outline: none; }
#canvas.panning { cursor: grabbing; }
#canvas .node.state { cursor: pointer; }
#empty { padding: 16px; color: var(--vscode-descriptionForeground); }
`;

const api = acquireVsCodeApi();
const script = document.currentScript as HTMLScriptElement | null;
const nonce = script?.nonce ?? '';
const workerUrl = script?.dataset.worker ?? 'elkWorker.js';

function post(message: WebviewToHost): void {
  api.postMessage(message);
}

// ---------------------------------------------------------------- DOM skeleton (no data)
const style = document.createElement('style');
style.nonce = nonce;
style.textContent = graphCss(VSCODE_PALETTE) + UI_CSS;
document.head.append(style);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string>,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
const app = el('div', { id: 'app' });
const toolbar = el('div', { id: 'toolbar', role: 'toolbar', 'aria-label': 'Graph' });
const buttons = {
  fit: el('button', { id: 'fit', title: 'Fit the graph (0)' }, 'Fit'),
  zoomIn: el('button', { id: 'zoom-in', title: 'Zoom in (+)', 'aria-label': 'Zoom in' }, '+'),
  zoomOut: el('button', { id: 'zoom-out', title: 'Zoom out (-)', 'aria-label': 'Zoom out' }, '−'),
  svg: el('button', { id: 'export-svg', title: 'Export graph as SVG' }, 'Export SVG'),
  png: el('button', { id: 'export-png', title: 'Export graph as PNG' }, 'Export PNG'),
};
const status = el('span', { id: 'status', 'aria-live': 'polite' });
toolbar.append(
  buttons.fit,
  buttons.zoomIn,
  buttons.zoomOut,
  el('span', { class: 'spacer' }),
  status,
  buttons.svg,
  buttons.png,
);
const banner = el('div', { id: 'banner', role: 'status' });
banner.hidden = true;
const canvas = el('div', {
  id: 'canvas',
  tabindex: '-1',
  role: 'application',
  'aria-label': 'State machine graph. Arrow keys move between states, Enter shows a state in the editor.',
});
canvas.append(el('div', { id: 'empty' }, 'Waiting for the state machine…'));
app.append(toolbar, banner, canvas);
document.body.append(app);

const viewport = new Viewport(canvas);
const elk = new WorkerElk(workerUrl, (message) => post({ type: 'error', message }));

// ---------------------------------------------------------------- state
interface Shown {
  uri: string;
  version: number;
  graph: StateGraph;
  layout: GraphLayout;
}
let shown: Shown | undefined;
let newest = -1;
let queued: GraphMessage | undefined;
let busy = false;
let overlay: GraphOverlay | undefined;
let highlighted: string | null = null;
let nodeEls = new Map<string, SVGGElement>();
let stateIds: string[] = [];
let byId = new Map<string, GraphNode>();
const receivedAt = new Map<number, number>();
let refineWanted: GraphMessage | undefined;
let refining = false;

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

async function show(msg: GraphMessage): Promise<void> {
  const sameDoc = shown?.uri === msg.uri;
  if (msg.graph.problem && sameDoc && shown) {
    // unparseable while typing: keep the last good graph, say why
    showBanner(`${msg.graph.problem} — showing the last valid graph (version ${shown.version}).`);
    post({ type: 'rendered', version: msg.version, nodes: 0, edges: 0, layoutMs: 0, renderMs: 0, totalMs: 0, engine: 'fast', banner: banner.textContent ?? '' });
    return;
  }
  const big = msg.graph.nodes.length > ELK_FAST_SETTINGS_NODES;
  const t0 = performance.now();
  let layout: GraphLayout;
  try {
    // big graphs: draw the linear-time layout at once, refine with elkjs in the worker afterwards
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
  report(msg, big ? 'fast' : 'elk', t1 - t0, t2 - t1);
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
      draw(msg, layout, false);
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
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
  const svg = document.importNode(parsed, true) as unknown as SVGSVGElement;
  canvas.replaceChildren(svg);
  shown = { uri: msg.uri, version: msg.version, graph: msg.graph, layout };
  nodeEls = new Map();
  for (const g of svg.querySelectorAll<SVGGElement>('g.node.state')) nodeEls.set(g.getAttribute('data-id') ?? '', g);
  byId = new Map(msg.graph.nodes.map((n) => [n.id, n]));
  stateIds = msg.graph.nodes.filter((n) => n.kind === 'state').map((n) => n.id);
  viewport.attach(svg, layout);
  if (fit) viewport.fit();
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

function applyOverlay(next: GraphOverlay): void {
  overlay = Object.keys(next.states).length ? next : undefined;
  for (const [id, g] of nodeEls) {
    for (const s of OVERLAY_STATUSES) g.classList.remove(`status-${s}`);
    const o = overlay?.states[id];
    if (o) g.classList.add(`status-${o.status}`);
    const counter = g.querySelector(':scope > .counter');
    if (counter) counter.textContent = counterText(o);
    const node = byId.get(id);
    if (node) g.setAttribute('aria-label', ariaLabel(node, o));
  }
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

// ---------------------------------------------------------------- events
canvas.addEventListener('click', (e) => {
  const g = (e.target as Element).closest?.('g.node.state');
  const id = g?.getAttribute('data-id');
  if (!id) return;
  (g as SVGGElement).focus({ preventScroll: true });
  reveal(id);
});
canvas.addEventListener('keydown', (e) => {
  const g = (e.target as Element).closest?.('g.node.state');
  const id = g?.getAttribute('data-id') ?? undefined;
  if ((e.key === 'Enter' || e.key === ' ') && id) {
    e.preventDefault();
    reveal(id);
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
    case 'fit':
      viewport.fit();
      break;
    default:
      assertNever(msg);
  }
});

post({ type: 'ready' });
