/**
 * The Content-Security-Policy of the graph webview (no vscode import: the browser tests serve
 * the harness page with exactly this policy). Why each directive:
 * - script-src nonce: only our bundle runs; style-src nonce: the stylesheet the script adds
 *   (the SVG uses classes only, never style attributes, so no 'unsafe-inline').
 * - worker-src blob: the elkjs worker is created from a blob of dist/elkWorker.js, because a
 *   webview's resource URIs are cross-origin for `new Worker(url)`; connect-src lets the
 *   script fetch that file's text from the webview resource origin.
 * - img-src data: the PNG export draws the SVG through a data: image.
 */
export function graphCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `worker-src ${cspSource} blob:`,
    `connect-src ${cspSource}`,
  ].join('; ');
}
