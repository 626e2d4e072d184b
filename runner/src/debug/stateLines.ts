/**
 * Where states are in the machine file (or the template holding the definition), from the
 * asl/ model of the definition: the line a stack frame shows, the state a breakpoint line
 * belongs to (asl/src/stateLines.ts, the rule the graph preview marks breakpoints by), and the
 * model scope each thread runs.
 */
import { getValue } from '../../../asl/src/parse/tree';
import { innermostAtLine, type LineSpan } from '../../../asl/src/stateLines';
import type { MachineModel, Scope, StateInfo } from '../../../asl/src/types';
import type { RunnableScope, RunnableState } from '../interpreter/machine';

/**
 * The 0-based lines of the file a definition is shown in, of offsets in the definition: where
 * a character starts, and where the character before an offset ends (they differ where a
 * template's block scalar or fragment ends).
 */
export interface SourceLines {
  start(offset: number): number;
  end(offset: number): number;
}

export class StateLines {
  /** the lines of every object state */
  private readonly spans: (LineSpan & { info: StateInfo })[];
  private readonly source: SourceLines;

  /** `source`: where the definition's offsets are; default the definition's own lines */
  constructor(
    readonly model: MachineModel,
    source?: SourceLines,
  ) {
    const own = (offset: number): number => model.doc.positionAt(offset).line;
    this.source = source ?? { start: own, end: own };
    this.spans = model.states
      .filter((s) => s.node.type === 'object')
      .map((info) => ({
        first: this.line(info),
        last: this.source.end(info.node.offset + info.node.length),
        size: info.node.length,
        info,
      }));
  }

  /** The 0-based line of a state's name. */
  line(info: StateInfo): number {
    return this.source.start(info.keyNode.offset);
  }

  /** The innermost state whose text spans the 0-based `line`. */
  stateAt(line: number): StateInfo | undefined {
    return innermostAtLine(this.spans, (s) => s, line)?.info;
  }

  /**
   * The model scope of a thread: the machine's for the top thread, else the branch (Parallel)
   * or the item processor (Map) of the state running it.
   */
  scopeOf(parent: { info?: StateInfo; state: RunnableState } | undefined, scope: RunnableScope): Scope | undefined {
    if (!parent) return this.model.root;
    const { info, state } = parent;
    if (!info) return undefined;
    if (state.type === 'Map') return info.childScopes[0];
    const item = getValue(info.node, 'Branches')?.children?.[state.scopes.indexOf(scope)];
    return info.childScopes.find((s) => s.node === item);
  }
}
