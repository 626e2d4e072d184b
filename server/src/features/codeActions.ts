/**
 * textDocument/codeAction: quick fixes for our diagnostics (codeActions/fixes.ts), the
 * per-state "Show IAM policy for this state" action and the source action "Generate IAM
 * policy for this state machine" (kind source.generateIamPolicy, command handled by the client).
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { MachineModel, ParsedDocument } from '../../../asl/src/types';
import type { AslDiagnostic } from '../../../asl/src/rules/types';
import { GENERATE_IAM_POLICY_COMMAND, GENERATE_IAM_POLICY_KIND, SHOW_STATE_IAM_POLICY_COMMAND } from '../protocol';
import { guard } from '../safe';
import type { FeatureContext } from './index';
import { fixesFor } from './codeActions/fixes';
import { toLspDiagnostic } from './shared/lspDiagnostic';
import { isEcsEksTask } from './shared/resourceDoc';
import { nodeAtOffset } from '../../../asl/src/parse/tree';
import { enclosingState } from '../../../asl/src/model';

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
}

/**
 * Code actions for a range of a document. Only the diagnostics that intersect the requested
 * range get fixes (a client may send more), and each fix edits only the region it changes, so
 * a request costs per-diagnostic work for those diagnostics, not passes over the document.
 */
export function codeActionsFor(
  doc: ParsedDocument,
  model: MachineModel,
  p: CodeActionParams,
  own?: () => AslDiagnostic[],
): CodeAction[] {
  const uri = p.textDocument.uri;
  const only = p.context.only;
  const out: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix)) {
    const from = doc.offsetAt(p.range.start);
    const to = Math.max(from, doc.offsetAt(p.range.end));
    // touching counts: a caret just after a diagnostic still offers its fixes
    const touches = (d: Diagnostic) => !(doc.offsetAt(d.range.start) > to || doc.offsetAt(d.range.end) < from);
    const diagnostics = p.context.diagnostics.filter(touches);
    // a caret on a key also gets the fixes of its scalar value, where a type error is reported;
    // the editor sends only the diagnostics under the caret, so they come from the server's own
    const at = nodeAtOffset(doc.root, from, true);
    const prop =
      at?.parent?.type === 'property' && at.parent.children?.[0] === at && to <= at.offset + at.length
        ? at.parent
        : undefined;
    const value = prop?.children?.[1];
    if (own && value && value.type !== 'object' && value.type !== 'array') {
      for (const d of own()) {
        if (
          d.offset === value.offset &&
          d.length === value.length &&
          !diagnostics.some((x) => x.code === d.code && doc.offsetAt(x.range.start) === d.offset)
        ) {
          diagnostics.push(toLspDiagnostic(d, doc, uri));
        }
      }
    }
    for (const d of diagnostics) {
      if (d.source !== undefined && d.source !== 'asl-workbench') continue;
      try {
        out.push(...fixesFor(doc, model, uri, d));
      } catch {
        /* one broken fix must not hide the others */
      }
    }
    const state = enclosingState(model, nodeAtOffset(doc.root, from, true));
    if (state && isEcsEksTask(state)) {
      out.push({
        title: `Show IAM policy for state '${state.name}'`,
        kind: CodeActionKind.QuickFix,
        command: {
          title: 'Show IAM policy for this state',
          command: SHOW_STATE_IAM_POLICY_COMMAND,
          arguments: [uri, state.name],
        },
      });
    }
  }
  if (wants(only, GENERATE_IAM_POLICY_KIND) && model.states.some((s) => s.type === 'Task')) {
    out.push({
      title: 'Generate IAM policy for this state machine',
      kind: GENERATE_IAM_POLICY_KIND,
      command: {
        title: 'Generate IAM policy for this state machine',
        command: GENERATE_IAM_POLICY_COMMAND,
        arguments: [uri],
      },
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
      return e ? codeActionsFor(e.doc, e.model, p, () => e.diagnostics()) : [];
    }),
  );
}
