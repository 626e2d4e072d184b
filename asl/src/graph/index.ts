/** The state graph: model (build), layout (elkjs, injected), SVG renderer, DOT/Mermaid exports. */
export * from './types';
export { buildGraph, graphNodeAtOffset } from './build';
export type { GraphDiagnostic } from './build';
export { choiceLabel, catchLabel } from './labels';
export { layoutGraph, toElkGraph, fromElkResult, GEOMETRY, ELK_MAX_NODES } from './layout';
export { fastLayout } from './fastLayout';
export type { ElkLike, ElkNode, ElkEdge } from './layout';
export { renderSvg, ariaLabel, counterText } from './svg';
export type { SvgTheme } from './svg';
export { graphCss, VSCODE_PALETTE, LIGHT_PALETTE } from './theme';
export type { GraphPalette } from './theme';
export { toDot, toMermaid } from './export';
