/** Helpers of the e2e suite: event-driven waits (never fixed sleeps), fixtures, metrics. */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'asl-workbench.asl-workbench';

/** Figures printed by the runner (and written to the results file). */
export const metrics: Record<string, string> = {};
/** Tests skipped on purpose, with the reason. */
export const skips: string[] = [];

/** Records a figure. */
export function metric(name: string, value: number | string, unit = 'ms'): void {
  metrics[name] = typeof value === 'number' ? `${value.toFixed(1)} ${unit}` : value;
}

/** Skips the current test with a reason that ends up in the report. */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  skips.push(`${ctx.test?.fullTitle() ?? '?'}: ${reason}`);
  console.log(`    skipped: ${reason}`);
  ctx.skip();
}

/** The workspace folder's file `name`. */
export function wsFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens and shows a workspace file. */
export async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(wsFile(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/**
 * Resolves with `probe()` once it is truthy, re-checking whenever `event` fires; rejects
 * with `what` after `timeoutMs`.
 */
export function waitForEvent<T, E>(
  event: vscode.Event<E>,
  probe: () => T | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = probe();
    if (first) return resolve(first);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event(() => {
      const v = probe();
      if (!v) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

/** Waits until the diagnostics of `uri` satisfy `accept`. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  return waitForEvent(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const d = vscode.languages.getDiagnostics(uri);
      return accept(d) ? d : undefined;
    },
    what,
    timeoutMs,
  );
}

/** Polls a condition that has no event (e.g. a provider answering once the server is up). */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Position of the `nth` occurrence of `needle` in `doc` (plus `delta` characters). */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found in ${doc.uri.path}`);
  }
  return doc.positionAt(at + delta);
}

/** Plain label text of a completion item. */
export const labelOf = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);

/** Markdown/plain text of hovers. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c))))
    .join('\n');
}

/** Errors and warnings only (hints and infos are advice). */
export const problems = (d: vscode.Diagnostic[]) =>
  d.filter((x) => x.severity === vscode.DiagnosticSeverity.Error || x.severity === vscode.DiagnosticSeverity.Warning);
