/**
 * The webview's HTML: a strict CSP (csp.ts) and one nonce'd script tag, nothing else. No
 * document data is ever interpolated here (it arrives by postMessage); only the two bundle
 * URIs are.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { graphCsp } from './csp';

/** A fresh nonce per page load. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}
/** The full HTML of the graph panel. */
export function graphHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = makeNonce()): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString();
  const worker = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'elkWorker.js')).toString();
  const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(graphCsp(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>State machine graph</title>
</head>
<body>
<script nonce="${attr(nonce)}" src="${attr(script)}" data-worker="${attr(worker)}"></script>
</body>
</html>`;
}
