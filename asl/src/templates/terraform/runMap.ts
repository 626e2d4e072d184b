/**
 * An offset map kept as runs rather than one entry per character: a Terraform definition is
 * mostly host text copied one to one (with `=` written as `:`, comments blanked), so a run per
 * token keeps the map small and the garbage collector out of the way on large definitions.
 * Same contract as MapBuilder's maps (../offsetMap.ts): each virtual character stands for a
 * host span; toHost is the start of a character's span, toHostEnd the end of the previous
 * character's, fromHost the last character starting at or before the host offset.
 */
import { lastAtOrBefore, type OffsetMap } from '../offsetMap';
import type { HostRange } from '../types';

/** Marks a run whose characters map one to one (its host end follows from its length). */
const LINEAR = -1;

export class RunBuilder {
  /** the virtual text (string concatenation: V8 keeps it as a rope until it is read) */
  private str = '';
  /**
   * per run, three numbers: first virtual offset, host start, host end (LINEAR for a one to one
   * run). A typed array that doubles: a large definition has hundreds of thousands of runs, and
   * numbers outside the JS heap cost the garbage collector nothing.
   */
  private runs = new Int32Array(3 * 256);
  private count = 0;
  length = 0;

  private push(vStart: number, hStart: number, hEnd: number) {
    if (3 * (this.count + 1) > this.runs.length) {
      const grown = new Int32Array(this.runs.length * 2);
      grown.set(this.runs);
      this.runs = grown;
    }
    const at = 3 * this.count++;
    this.runs[at] = vStart;
    this.runs[at + 1] = hStart;
    this.runs[at + 2] = hEnd;
  }

  /** `text` standing one to one for host [hStart, hStart + text.length). */
  linearRun(text: string, hStart: number): void {
    if (!text) return;
    const at = 3 * (this.count - 1);
    const continues =
      this.count > 0 && this.runs[at + 2] === LINEAR && this.runs[at + 1] + (this.length - this.runs[at]) === hStart;
    if (!continues) this.push(this.length, hStart, LINEAR);
    this.str += text;
    this.length += text.length;
  }

  /** `text`, every character of which stands for the whole host span [hStart, hEnd). */
  fixed(text: string, hStart: number, hEnd: number): void {
    if (!text) return;
    this.push(this.length, hStart, hEnd);
    this.str += text;
    this.length += text.length;
  }

  build(hostRange: HostRange): OffsetMap {
    const text = this.str;
    const n = text.length;
    const runs = this.count;
    const all = this.runs;
    const vStart = new Int32Array(runs);
    const hStart = new Int32Array(runs);
    const hEnd = new Int32Array(runs);
    for (let r = 0; r < runs; r++) {
      vStart[r] = all[3 * r];
      hStart[r] = all[3 * r + 1];
      hEnd[r] = all[3 * r + 2];
    }
    const linear = (r: number) => hEnd[r] === LINEAR;
    /** the run holding virtual character v (0 <= v < n) */
    const runOf = (v: number): number => lastAtOrBefore(vStart, runs, v);
    const startOf = (v: number): number => {
      const r = runOf(v);
      return linear(r) ? hStart[r] + (v - vStart[r]) : hStart[r];
    };
    const endOf = (v: number): number => {
      const r = runOf(v);
      return linear(r) ? hStart[r] + (v - vStart[r]) + 1 : hEnd[r];
    };
    const toHost = (v: number): number =>
      v <= 0 ? (n ? startOf(0) : hostRange.start) : v >= n ? hostRange.end : startOf(v);
    const toHostEnd = (v: number): number => (v <= 0 || v > n ? toHost(v) : endOf(v - 1));
    const fromHost = (h: number): number | undefined => {
      if (h < hostRange.start || h > hostRange.end || !n) return undefined;
      if (h >= hostRange.end) return n;
      // the last run starting at or before h, then its last character starting at or before h
      const lo = lastAtOrBefore(hStart, runs, h);
      if (hStart[lo] > h) return 0;
      const runEnd = lo + 1 < runs ? vStart[lo + 1] : n;
      return linear(lo) ? Math.min(runEnd - 1, vStart[lo] + (h - hStart[lo])) : runEnd - 1;
    };
    return { text, hostRange, toHost, toHostEnd, fromHost, encodeEdit: () => undefined };
  }
}
