/**
 * textDocument/codeAction: quick fixes for our diagnostics (codeActions/fixes.ts), the
 * per-state "Show IAM policy for this state" action and the source action "Generate IAM
 * policy for this state machine" (kind source.generateIamPolicy, command handled by the client).
 */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import type { MachineModel, ParsedDocument } from '../../../asl/src/types';
import { GENERATE_IAM_POLICY_COMMAND, GENERATE_IAM_POLICY_KIND, SHOW_STATE_IAM_POLICY_COMMAND } from '../protocol';
import { guard } from '../safe';
import type { FeatureContext } from './index';
import { fixesFor } from './codeActions/fixes';
import { isEcsEksTask } from './iam';
import { enclosingState, deepestNodeAt } from './navigation/treeUtil';

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
}

/**
 * Code actions for a range of a document. Only the diagnostics that intersect the requested
 * range get fixes (a client may send more), and each fix edits only the region it changes, so
 * a request costs per-diagnostic work for those diagnostics, not passes over the document.
 */
export function codeActionsFor(doc: ParsedDocument, model: MachineModel, p: CodeActionParams): CodeAction[] {
  const uri = p.textDocument.uri;
  const only = p.context.only;
  const out: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix)) {
    const from = doc.offsetAt(p.range.start);
    const to = Math.max(from, doc.offsetAt(p.range.end));
    for (const d of p.context.diagnostics) {
      if (d.source !== undefined && d.source !== 'asl-workbench') continue;
      // touching counts: a caret just after a diagnostic still offers its fixes
      if (doc.offsetAt(d.range.start) > to || doc.offsetAt(d.range.end) < from) continue;
      try {
        out.push(...fixesFor(doc, model, uri, d));
      } catch {
        /* one broken fix must not hide the others */
      }
    }
    const state = enclosingState(model, deepestNodeAt(doc.root, from));
    if (state && isEcsEksTask(state)) {
      out.push({
        title: `Show IAM policy for state '${state.name}'`,
        kind: CodeActionKind.QuickFix,
        command: { title: 'Show IAM policy for this state', command: SHOW_STATE_IAM_POLICY_COMMAND, arguments: [uri, state.name] },
      });
    }
  }
  if (wants(only, GENERATE_IAM_POLICY_KIND) && model.states.some((s) => s.type === 'Task')) {
    out.push({
      title: 'Generate IAM policy for this state machine',
      kind: GENERATE_IAM_POLICY_KIND,
      command: { title: 'Generate IAM policy for this state machine', command: GENERATE_IAM_POLICY_COMMAND, arguments: [uri] },
    });
  }
  return out;
}

/** Registers textDocument/codeAction. */
export function codeActions(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.codeActionProvider = { codeActionKinds: [CodeActionKind.QuickFix, GENERATE_IAM_POLICY_KIND] };
  connection.onCodeAction(
    guard(connection, 'codeAction', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      return e ? codeActionsFor(e.doc, e.model, p) : [];
    }),
  );
}
