/**
 * "Export graph as SVG/PNG" inside the webview: the same renderer with the theme's colours
 * resolved to concrete values (the file must look the same outside VS Code); PNG by drawing
 * that SVG (as a data: image, allowed by img-src) on a canvas.
 */
import { renderSvg } from '../../../../asl/src/graph/svg';
import { VSCODE_PALETTE, type GraphPalette } from '../../../../asl/src/graph/theme';
import type { GraphLayout, GraphOverlay, StateGraph } from '../../../../asl/src/graph/types';

/** Replaces `var(--x, fallback)` by the computed value of --x (or the fallback). */
function resolveColour(value: string, style: CSSStyleDeclaration): string {
  const m = /^var\((--[\w-]+)\s*(?:,\s*(.+))?\)$/.exec(value.trim());
  if (!m) return value;
  const v = style.getPropertyValue(m[1]).trim();
  return v || (m[2] ?? '').trim() || '#808080';
}

/** The webview palette with every CSS variable resolved against the current theme. */
export function resolvedPalette(): GraphPalette {
  const style = getComputedStyle(document.documentElement);
  const status = Object.fromEntries(
    Object.entries(VSCODE_PALETTE.status).map(([k, v]) => [k, resolveColour(v, style)]),
  ) as GraphPalette['status'];
  const out = { ...VSCODE_PALETTE, status };
  for (const key of Object.keys(out) as (keyof GraphPalette)[]) {
    if (key !== 'status') (out as Record<string, unknown>)[key] = resolveColour(VSCODE_PALETTE[key] as string, style);
  }
  return out;
}

/** Standalone SVG text of the current graph with concrete colours. */
export function exportSvg(graph: StateGraph, layout: GraphLayout, overlay: GraphOverlay | undefined): string {
  return renderSvg(graph, layout, { palette: resolvedPalette() }, overlay);
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** PNG (base64, no data: prefix) of an SVG text, at `scale` × its size (capped for huge graphs). */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  const s = Math.max(0.25, Math.min(scale, 16000 / Math.max(width, height, 1)));
  const img = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the SVG could not be loaded as an image'));
  });
  img.src = `data:image/svg+xml;base64,${base64Utf8(svgText)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * s);
  canvas.height = Math.ceil(height * s);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(s, s);
  ctx.drawImage(img, 0, 0, width, height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
