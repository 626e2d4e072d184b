/**
 * The rule that gives a line of a machine file its state, shared by the debug adapter (which
 * state a breakpoint stops before) and the graph preview (which node shows that breakpoint),
 * so the two never disagree: any line of a state's text belongs to it, and where states nest
 * (Map, Parallel) the innermost — the shortest text — wins.
 */

/** A state's text as 0-based lines, and its length in characters, which orders nesting. */
export interface LineSpan {
  first: number;
  last: number;
  size: number;
}

/** The innermost of `items` whose span holds `line`; items without a span are skipped. */
export function innermostAtLine<T>(
  items: Iterable<T>,
  spanOf: (item: T) => LineSpan | undefined,
  line: number,
): T | undefined {
  let best: T | undefined;
  let bestSize = Infinity;
  for (const item of items) {
    const span = spanOf(item);
    if (!span || line < span.first || line > span.last || span.size >= bestSize) continue;
    best = item;
    bestSize = span.size;
  }
  return best;
}
