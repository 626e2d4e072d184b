/**
 * Colours of the graph as CSS. The webview uses the editor's theme variables (--vscode-*), so
 * the graph follows the colour theme; the CLI export and the "Export SVG/PNG" action embed
 * concrete colours so the file looks the same anywhere.
 */
import type { OverlayStatus } from './types';

/** Every colour the stylesheet needs; values are any CSS colour (or var(...)). */
export interface GraphPalette {
  fontFamily: string;
  background: string;
  foreground: string;
  muted: string;
  nodeFill: string;
  nodeStroke: string;
  scopeFill: string;
  edge: string;
  labelBackground: string;
  focus: string;
  highlight: string;
  error: string;
  warning: string;
  info: string;
  ecs: string;
  eks: string;
  status: Record<OverlayStatus, string>;
}

/** The palette of the webview: VS Code theme variables with fallbacks. */
export const VSCODE_PALETTE: GraphPalette = {
  fontFamily: 'var(--vscode-font-family, system-ui, sans-serif)',
  background: 'var(--vscode-editor-background, #1e1e1e)',
  foreground: 'var(--vscode-editor-foreground, #d4d4d4)',
  muted: 'var(--vscode-descriptionForeground, #9d9d9d)',
  nodeFill: 'var(--vscode-editorWidget-background, #252526)',
  nodeStroke: 'var(--vscode-editorWidget-border, #6b6b6b)',
  scopeFill: 'var(--vscode-sideBar-background, #1f1f1f)',
  edge: 'var(--vscode-editorLineNumber-foreground, #858585)',
  labelBackground: 'var(--vscode-editor-background, #1e1e1e)',
  focus: 'var(--vscode-focusBorder, #007fd4)',
  highlight: 'var(--vscode-editorCursor-foreground, #aeafad)',
  error: 'var(--vscode-editorError-foreground, #f14c4c)',
  warning: 'var(--vscode-editorWarning-foreground, #cca700)',
  info: 'var(--vscode-editorInfo-foreground, #3794ff)',
  ecs: 'var(--vscode-charts-orange, #d18616)',
  eks: 'var(--vscode-charts-blue, #3794ff)',
  status: {
    notStarted: 'var(--vscode-disabledForeground, #8b8b8b)',
    running: 'var(--vscode-charts-blue, #3794ff)',
    succeeded: 'var(--vscode-testing-iconPassed, #73c991)',
    failed: 'var(--vscode-testing-iconFailed, #f14c4c)',
    caught: 'var(--vscode-charts-orange, #d18616)',
    retried: 'var(--vscode-charts-yellow, #cca700)',
    aborted: 'var(--vscode-charts-purple, #b180d7)',
  },
};

/** A light palette with concrete colours (CLI export default). */
export const LIGHT_PALETTE: GraphPalette = {
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif',
  background: '#ffffff',
  foreground: '#1f1f1f',
  muted: '#616161',
  nodeFill: '#f8f8f8',
  nodeStroke: '#8a8a8a',
  scopeFill: '#f0f3f7',
  edge: '#6e6e6e',
  labelBackground: '#ffffff',
  focus: '#0066bf',
  highlight: '#0066bf',
  error: '#e51400',
  warning: '#bf8803',
  info: '#1a85ff',
  ecs: '#d67e00',
  eks: '#326ce5',
  status: {
    notStarted: '#9e9e9e',
    running: '#1a85ff',
    succeeded: '#388a34',
    failed: '#e51400',
    caught: '#d67e00',
    retried: '#bf8803',
    aborted: '#8a4baf',
  },
};

/** The stylesheet of the rendered SVG for a palette (classes emitted by renderSvg). */
export function graphCss(p: GraphPalette): string {
  const statusRules = (Object.keys(p.status) as OverlayStatus[])
    .map(
      (s) =>
        `.node.status-${s} > .shape { stroke: ${p.status[s]}; stroke-width: 3px; fill: color-mix(in srgb, ${p.status[s]} 22%, ${p.nodeFill}); }\n.node.status-${s} > .counter { fill: ${p.status[s]}; }`,
    )
    .join('\n');
  return `
.asl-graph { background: ${p.background}; font-family: ${p.fontFamily}; font-size: 12px; }
.asl-graph text { fill: ${p.foreground}; dominant-baseline: middle; }
.node > .shape { fill: ${p.nodeFill}; stroke: ${p.nodeStroke}; stroke-width: 1.5px; }
.node.compound > .shape { fill: none; }
.node.type-map > .shape { stroke-dasharray: 6 3; }
.node.scope > .shape { fill: ${p.scopeFill}; stroke: ${p.nodeStroke}; stroke-width: 1px; stroke-dasharray: 2 2; }
.node.scope > .name { fill: ${p.muted}; font-size: 11px; }
.node .name { font-weight: 600; }
.node .subtitle { fill: ${p.muted}; font-size: 10.5px; }
.node.unreachable { opacity: 0.55; }
.node.unreachable > .shape { stroke-dasharray: 3 3; }
.node.type-succeed > .shape { stroke: ${p.status.succeeded}; }
.node.type-fail > .shape { stroke: ${p.status.failed}; }
.marker { fill: ${p.foreground}; stroke: ${p.foreground}; }
.marker.end > .ring { fill: none; stroke-width: 1.5px; }
.node.sev-error > .shape { stroke: ${p.error}; }
.node.sev-warning > .shape { stroke: ${p.warning}; }
.badge.sev-error { fill: ${p.error}; }
.badge.sev-warning { fill: ${p.warning}; }
.badge.sev-info, .badge.sev-hint { fill: ${p.info}; }
.badge-text { fill: ${p.background} !important; font-size: 10px; font-weight: 700; text-anchor: middle; }
.retry-badge { fill: none; stroke: ${p.muted}; }
.retry-text { fill: ${p.muted} !important; font-size: 10px; text-anchor: middle; }
.icon.ecs { fill: ${p.ecs}; }
.icon.eks { fill: ${p.eks}; }
.icon-text { fill: #ffffff !important; font-size: 8px; font-weight: 700; text-anchor: middle; }
.edge > path { fill: none; stroke: ${p.edge}; stroke-width: 1.25px; }
.edge.kind-catch > path { stroke-dasharray: 5 3; stroke: ${p.status.caught}; }
.edge.kind-default > path { stroke-dasharray: 2 3; }
.edge .label-bg { fill: ${p.labelBackground}; opacity: 0.9; }
.edge .label { font-size: 10.5px; fill: ${p.muted}; }
.arrow { fill: ${p.edge}; }
.node.highlighted > .shape { stroke: ${p.highlight}; stroke-width: 3px; }
.node:focus { outline: none; }
.node:focus > .shape, .node.focused > .shape { stroke: ${p.focus}; stroke-width: 3px; }
.counter { font-size: 10.5px; font-weight: 600; text-anchor: end; }
${statusRules}
`;
}
