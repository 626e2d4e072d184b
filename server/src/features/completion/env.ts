/**
 * The completion environment: the cursor plus what it means in the machine (enclosing state,
 * scope, query language, path relative to the state), computed once per request.
 */
import type { MachineModel, ParsedDocument, QueryLanguage, Scope, StateInfo } from '../../../../asl/src/types';
import { nodeAtOffset, type TreePathSegment } from '../../../../asl/src/parse/tree';
import { enclosingScope, enclosingState, relativePath } from '../../../../asl/src/model';
import type { Cursor } from './cursorText';

export interface CompletionEnv {
  doc: ParsedDocument;
  model: MachineModel;
  cur: Cursor;
  /** innermost state containing the cursor */
  state?: StateInfo;
  /** path from the state's value node to the cursor (see Cursor.path) */
  rel: TreePathSegment[];
  /** innermost scope (machine / branch / processor) containing the cursor */
  scope?: Scope;
  queryLanguage: QueryLanguage;
  /** sample input (input.json next to the file), if any */
  inputSample?: unknown;
  /** set by providers that returned a truncated list (the client must ask again as the user types) */
  incomplete?: boolean;
}

/** Builds the environment for a cursor. */
export function makeEnv(doc: ParsedDocument, model: MachineModel, cur: Cursor, inputSample?: unknown): CompletionEnv {
  // the node nearest to the cursor that exists in the tree
  const anchor =
    cur.anchor ??
    cur.object ??
    cur.property ??
    cur.valueNode ??
    cur.array ??
    nodeAtOffset(doc.root, cur.replace.offset, true);
  // a property anchor (YAML: the key owning a value still being typed) starts at its value
  const start = anchor?.type === 'property' ? (anchor.children?.[1] ?? anchor) : anchor;
  const state = enclosingState(model, start);
  const rel = relativePath(cur.path, state);
  const scope = enclosingScope(model, start);
  const queryLanguage = state?.queryLanguage ?? scope?.queryLanguage ?? model.queryLanguage;
  return { doc, model, cur, state, rel, scope, queryLanguage, inputSample };
}
