/**
 * Offset <-> line/character mapping over a line-start index (UTF-16 code units, like LSP).
 * "\r\n", "\r" and "\n" each end a line.
 */
import type { Position, Range } from '../types';

/** Offsets at which each line starts; index 0 is always 0. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  // most texts have no "\r": finding each "\n" with indexOf is several times faster than
  // reading every character
  if (text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Position mapping functions bound to one text. */
export interface LineIndex {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  rangeOf(offset: number, length: number): Range;
}

/**
 * Builds the mapping functions; offsets and positions are clamped to the text. The line starts
 * are computed on first use, and the first positions are found by counting the line breaks
 * before them until that has read as much as computing the line starts would: validating a
 * large document converts only its few diagnostics' offsets, and many documents are parsed
 * without converting any.
 */
export function createLineIndex(text: string): LineIndex {
  let lineStarts: number[] | undefined;
  const lines = (): number[] => (lineStarts ??= computeLineStarts(text));
  /** characters read by positionAt without the line starts */
  let counted = 0;
  /** whether every line ends with "\n" alone (counting handles no other line break) */
  let newlinesOnly: boolean | undefined;
  const positionAt = (offset: number): Position => {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, text.length));
    if (!lineStarts && counted + o <= text.length && (newlinesOnly ??= text.indexOf('\r') < 0)) {
      counted += o;
      let line = 0;
      let lineStart = 0;
      for (let i = text.indexOf('\n'); i >= 0 && i < o; i = text.indexOf('\n', i + 1)) {
        line++;
        lineStart = i + 1;
      }
      return { line, character: o - lineStart };
    }
    const starts = lines();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo] };
  };
  const offsetAt = (position: Position): number => {
    const starts = lines();
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return text.length;
    const lineStart = starts[position.line];
    const nextStart = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
    // the end of a line excludes its line break
    let lineEnd = nextStart;
    if (position.line + 1 < starts.length) {
      lineEnd--;
      if (lineEnd > lineStart && text.charCodeAt(lineEnd) === 10 && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    }
    return Math.max(lineStart, Math.min(lineStart + Math.max(0, position.character), lineEnd));
  };
  const rangeOf = (offset: number, length: number): Range => ({
    start: positionAt(offset),
    end: positionAt(offset + Math.max(0, length)),
  });
  return { positionAt, offsetAt, rangeOf };
}
