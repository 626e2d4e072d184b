/**
 * Read-only JSON documents of executions, scheme `asl-exec:`:
 *   asl-exec:/<execution id>/execution.json               input, status, output / error
 *   asl-exec:/<execution id>/<event id>/<state name>.json  the state's input, output, error
 * Documents of a running execution update as its events arrive.
 */
import * as vscode from 'vscode';
import type { RunController } from './controller';
import { visitDocument, visitOf } from './format';

export const EXEC_SCHEME = 'asl-exec';

/** URI of an execution's summary document. */
export function executionDocUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: EXEC_SCHEME, path: `/${id}/execution.json` });
}

/** URI of the state-visit document of one event. */
export function eventDocUri(id: string, eventId: number, stateName: string): vscode.Uri {
  const safe = stateName.replace(/[\\/:*?"<>|]+/g, '_') || 'event';
  return vscode.Uri.from({ scheme: EXEC_SCHEME, path: `/${id}/${eventId}/${safe}.json` });
}

export class ExecutionContent implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly runs: RunController) {
    this.sub = runs.onDidChange(() => {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        for (const doc of vscode.workspace.textDocuments)
          if (doc.uri.scheme === EXEC_SCHEME) this.changed.fire(doc.uri);
      }, 300);
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return JSON.stringify(this.documentOf(uri), null, 2) + '\n';
  }

  /** The JSON value shown for an asl-exec: URI. */
  documentOf(uri: vscode.Uri): unknown {
    const [id, second] = uri.path.split('/').filter(Boolean);
    const rec = id ? this.runs.find(id) : undefined;
    if (!rec) return { error: 'This execution is no longer available (executions are kept for the VS Code session).' };
    if (second === 'execution.json') {
      const doc: Record<string, unknown> = { executionArn: rec.executionArn, status: rec.status, input: rec.input };
      if (rec.testCase) doc.mockTestCase = rec.testCase;
      if (rec.origin === 'aws') doc.stepFunctions = rec.target;
      if (rec.outcome?.output !== undefined) doc.output = rec.outcome.output;
      if (rec.outcome?.error !== undefined) doc.error = rec.outcome.error;
      if (rec.outcome?.cause !== undefined) doc.cause = rec.outcome.cause;
      return doc;
    }
    const eventId = Number(second);
    const e = rec.events.find((x) => x.id === eventId);
    if (!e) return { error: `no event #${second}` };
    const visit = visitOf(rec.events, e, rec.tracker.stateOf(e));
    return visit ? { event: `#${e.id} ${e.type}`, ...(visitDocument(visit) as object) } : e;
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.sub.dispose();
    this.changed.dispose();
  }
}
