/**
 * The webview's fixed page: its stylesheet (nonce'd, since the CSP allows no inline styles)
 * and the toolbar / banner / canvas skeleton, built with DOM calls. No document data here.
 */
import { graphCss, VSCODE_PALETTE } from '../../../../asl/src/graph/theme';
import { COVERAGE_CSS, type CoverageLegend } from './coverage';

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
.node > .bp-dot { fill: transparent; cursor: pointer; }
.node.state:hover > .bp-dot { fill: var(--vscode-debugIcon-breakpointDisabledForeground, #848484); }
.node.breakpoint > .bp-dot, .node.breakpoint:hover > .bp-dot { fill: var(--vscode-debugIcon-breakpointForeground, #e51400); }
.node.debug-paused > .shape { stroke: var(--vscode-debugIcon-breakpointCurrentStackframeForeground, #ffcc00); stroke-width: 3px; fill: color-mix(in srgb, var(--vscode-debugIcon-breakpointCurrentStackframeForeground, #ffcc00) 22%, var(--vscode-editorWidget-background, #252526)); }
`;

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

/** The page's elements the app drives. */
export interface Ui {
  canvas: HTMLDivElement;
  banner: HTMLDivElement;
  status: HTMLSpanElement;
  buttons: Record<'fit' | 'zoomIn' | 'zoomOut' | 'svg' | 'png', HTMLButtonElement>;
  coverage: CoverageLegend;
}

/** Adds the stylesheet (with the page's script nonce) and builds the page skeleton. */
export function buildUi(nonce: string): Ui {
  const style = document.createElement('style');
  style.nonce = nonce;
  style.textContent = graphCss(VSCODE_PALETTE) + UI_CSS + COVERAGE_CSS;
  document.head.append(style);
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
  const coverage = coverageLegend();
  toolbar.append(
    buttons.fit,
    buttons.zoomIn,
    buttons.zoomOut,
    el('span', { class: 'spacer' }),
    status,
    coverage.toggle,
    buttons.svg,
    buttons.png,
  );
  const banner = el('div', { id: 'banner', role: 'status' });
  banner.hidden = true;
  const canvas = el('div', {
    id: 'canvas',
    tabindex: '-1',
    role: 'application',
    'aria-label':
      'State machine graph. Arrow keys move between states, Enter shows a state in the editor, F9 toggles its breakpoint.',
  });
  canvas.append(el('div', { id: 'empty' }, 'Waiting for the state machine…'));
  app.append(toolbar, coverage.root, banner, canvas);
  document.body.append(app);
  return { canvas, banner, status, buttons, coverage };
}

/** The coverage legend strip under the toolbar and its Hide/Show toggle (both hidden until coverage arrives). */
function coverageLegend(): CoverageLegend {
  const toggle = el(
    'button',
    { id: 'coverage-toggle', title: 'Show or hide the test coverage marks', 'aria-pressed': 'true' },
    'Hide coverage',
  );
  toggle.hidden = true;
  const root = el('div', { id: 'coverage-legend', role: 'note', 'aria-label': 'Test coverage legend' });
  root.hidden = true;
  const text = el('span', { id: 'coverage-text' });
  const note = el('span', { id: 'coverage-note' }, '· node colours show the last run');
  note.hidden = true;
  root.append(
    el('span', { class: 'swatch uncovered', 'aria-hidden': 'true' }),
    el('span', {}, 'not covered'),
    el('span', { class: 'swatch hits', 'aria-hidden': 'true' }, '3×'),
    el('span', {}, 'times run'),
    text,
    note,
  );
  return { root, text, note, toggle };
}
