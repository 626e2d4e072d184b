/**
 * Maps between a virtual document (a definition's ASL text) and its host text. Two shapes:
 * - identity: the virtual text is the host text with everything outside the definition
 *   blanked (line breaks kept), so offsets agree; intrinsics inside are rewritten in place to
 *   `"${Name}"` padded with spaces and cannot be edited as text;
 * - built: the virtual text is decoded from host strings (JSON escapes, YAML block scalars,
 *   Fn::Join fragments), one host span per virtual character.
 */
import type { HostEdit, HostRange } from './types';

/** Turns virtual text into host text for one region; undefined when it cannot be written there. */
export type Encoder = (text: string) => string | undefined;

export interface OffsetMap {
  text: string;
  hostRange: HostRange;
  toHost(offset: number): number;
  /** where the virtual character before `offset` ends in the host (the end of a range) */
  toHostEnd(offset: number): number;
  fromHost(offset: number): number | undefined;
  encodeEdit(start: number, end: number, text: string): HostEdit | undefined;
}

interface Region {
  vStart: number;
  vEnd: number;
  hStart: number;
  hEnd: number;
  /** undefined: the region is not text the user can edit here */
  encode?: Encoder;
}

/** The index of the last of the first `count` (ascending) values at or before `x`; 0 when none is. */
export function lastAtOrBefore(a: Int32Array, count: number, x: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Accumulates virtual characters with their host spans, region by region. Kept as runs
 * rather than one entry per character: a definition is mostly host text copied one to one,
 * so a 2,000-state DefinitionString costs a few runs per escape, not an entry per character.
 * Each virtual character stands for a host span: toHost is the start of a character's span,
 * toHostEnd the end of the previous character's, fromHost the last character starting at or
 * before the host offset.
 */
export class MapBuilder {
  /** the text so far, in pieces (joined when read) */
  private chunks: string[] = [];
  private size = 0;
  /** characters mapped by mapLinear/mapFixed whose text fillText has not given yet */
  private unfilled = 0;
  /** per run: first virtual offset, host start, host end; linear runs (1) map one to one */
  private vStart = new Int32Array(64);
  private hStart = new Int32Array(64);
  private hEnd = new Int32Array(64);
  private linear = new Uint8Array(64);
  private runs = 0;
  private regions: Region[] = [];
  private open: Region | undefined;

  get length(): number {
    return this.size;
  }

  private get text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  private set text(t: string) {
    this.chunks = [t];
    this.size = t.length;
  }

  /** Starts a region at host offset `hStart`; its characters are encoded with `encode`. */
  begin(hStart: number, encode: Encoder | undefined): void {
    this.open = { vStart: this.length, vEnd: this.length, hStart, hEnd: hStart, encode };
  }

  end(hEnd: number): void {
    const r = this.open;
    if (!r) return;
    r.vEnd = this.length;
    r.hEnd = hEnd;
    this.regions.push(r);
    this.open = undefined;
  }

  /** One virtual character (or UTF-16 unit) written as host [hStart, hEnd). */
  char(c: string, hStart: number, hEnd: number): void {
    if (hEnd - hStart === 1 && c.length === 1) this.copy(c, hStart);
    else this.fixed(c, hStart, hEnd);
  }

  /** Characters copied one to one from host offset `hStart`. */
  copy(text: string, hStart: number): void {
    if (!text) return;
    const last = this.runs - 1;
    const continues =
      last >= 0 && this.linear[last] && this.hStart[last] + (this.length - this.vStart[last]) === hStart;
    if (continues) this.hEnd[last] = hStart + text.length;
    else this.run(hStart, hStart + text.length, true);
    this.chunks.push(text);
    this.size += text.length;
  }

  /**
   * `length` characters copied one to one from host offset `hStart`, their text given later
   * by fillText (a decoder that knows the whole decoded value saves building it piece by piece).
   */
  mapLinear(hStart: number, length: number): void {
    const last = this.runs - 1;
    if (last >= 0 && this.linear[last] && this.hStart[last] + (this.size - this.vStart[last]) === hStart)
      this.hEnd[last] = hStart + length;
    else this.run(hStart, hStart + length, true);
    this.size += length;
    this.unfilled += length;
  }

  /** One character standing for host [hStart, hEnd), its text given later by fillText. */
  mapFixed(hStart: number, hEnd: number): void {
    this.run(hStart, hEnd, false);
    this.size += 1;
    this.unfilled += 1;
  }

  /** The text of the characters mapped by mapLinear / mapFixed since the last text. */
  fillText(text: string): boolean {
    if (text.length !== this.unfilled) return false;
    this.chunks.push(text);
    this.unfilled = 0;
    return true;
  }

  /** Characters that each stand for the whole host span [hStart, hEnd). */
  private fixed(text: string, hStart: number, hEnd: number): void {
    this.run(hStart, hEnd, false);
    this.chunks.push(text);
    this.size += text.length;
  }

  private run(hStart: number, hEnd: number, linear: boolean): void {
    if (this.runs === this.vStart.length) this.grow(this.runs * 2);
    const k = this.runs++;
    this.vStart[k] = this.size;
    this.hStart[k] = hStart;
    this.hEnd[k] = hEnd;
    this.linear[k] = linear ? 1 : 0;
  }

  private grow(capacity: number): void {
    const widen = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, Math.min(a.length, capacity)));
      return b;
    };
    this.vStart = widen(this.vStart, (n) => new Int32Array(n));
    this.hStart = widen(this.hStart, (n) => new Int32Array(n));
    this.hEnd = widen(this.hEnd, (n) => new Int32Array(n));
    this.linear = widen(this.linear, (n) => new Uint8Array(n));
  }

  /** Inserts (count 1) or deletes (count -1) the run at index `i`. */
  private splice(i: number, count: 1 | -1): void {
    if (count === 1 && this.runs === this.vStart.length) this.grow(this.runs * 2);
    for (const a of [this.vStart, this.hStart, this.hEnd, this.linear])
      a.copyWithin(count === 1 ? i + 1 : i, count === 1 ? i : i + 1, this.runs);
    this.runs += count;
  }

  /** A whole region of text standing for host [hStart, hEnd) that cannot be edited as text. */
  opaque(text: string, hStart: number, hEnd: number): void {
    this.begin(hStart, undefined);
    if (text) this.fixed(text, hStart, hEnd);
    this.end(hEnd);
  }

  /** Drops the last `n` characters (YAML chomping). */
  truncate(n: number): void {
    const keep = Math.max(0, this.length - n);
    this.text = this.text.slice(0, keep);
    while (this.runs && this.vStart[this.runs - 1] >= keep) this.runs--;
    const last = this.runs - 1;
    if (last >= 0 && this.linear[last]) this.hEnd[last] = this.hStart[last] + (keep - this.vStart[last]);
  }

  /**
   * Removes the `!` of every `${!` from virtual offset `from` on: Fn::Sub writes `${!Name}`
   * as `${Name}`, which is what the definition then holds.
   */
  unescapeSub(from: number): void {
    for (let k = this.text.lastIndexOf('${!'); k >= from; k = k > 0 ? this.text.lastIndexOf('${!', k - 1) : -1)
      this.remove(k + 2);
  }

  /**
   * Inserts `c` before virtual character `k`, standing for the empty host span at `h`; it is
   * not the host's text, so no edit may cover it. False (nothing inserted) inside a run of
   * several characters for one span.
   */
  insertSynthetic(k: number, c: string, h: number): boolean {
    if (k < 0 || k > this.size || this.unfilled) return false;
    let at = this.runs;
    if (k < this.size) {
      const i = this.runOf(k);
      const v0 = this.vStart[i];
      if (k > v0 && !this.linear[i]) return false;
      at = i;
      if (k > v0) {
        // split the linear run at k
        this.splitRun(i, k, k, this.hStart[i] + (k - v0));
        at = i + 1;
      }
    }
    this.splice(at, 1);
    this.vStart[at] = k;
    this.hStart[at] = h;
    this.hEnd[at] = h;
    this.linear[at] = 0;
    for (let j = at + 1; j < this.runs; j++) this.vStart[j]++;
    const text = this.text;
    this.text = text.slice(0, k) + c + text.slice(k);
    for (const r of this.regions) {
      if (r.vStart >= k) r.vStart++;
      if (r.vEnd > k) r.vEnd++;
    }
    this.synthetic = this.synthetic.map((s) => (s >= k ? s + 1 : s));
    this.synthetic.push(k);
    return true;
  }

  /**
   * Splits linear run `i`: it ends at virtual `end`, and a new linear run from virtual
   * `next` (host `hNext`) takes the rest.
   */
  private splitRun(i: number, end: number, next: number, hNext: number): void {
    this.splice(i + 1, 1);
    this.vStart[i + 1] = next;
    this.hStart[i + 1] = hNext;
    this.hEnd[i + 1] = this.hEnd[i];
    this.linear[i + 1] = 1;
    this.hEnd[i] = this.hStart[i] + (end - this.vStart[i]);
  }

  /** Virtual offsets of inserted characters that are not host text. */
  private synthetic: number[] = [];

  /** Removes virtual character `k`, splitting its run. */
  private remove(k: number): void {
    const i = this.runOf(k);
    const v0 = this.vStart[i];
    const after = i + 1 < this.runs ? this.vStart[i + 1] : this.length;
    this.text = this.text.slice(0, k) + this.text.slice(k + 1);
    if (this.linear[i] && k > v0 && k < after - 1) {
      // split: [v0, k) and (k, after) become two linear runs
      this.splitRun(i, k, k + 1, this.hStart[i] + (k - v0) + 1);
    } else if (after - v0 === 1) {
      this.splice(i, -1);
    } else if (this.linear[i] && k === v0) this.hStart[i]++;
    else if (this.linear[i]) this.hEnd[i]--;
    for (let j = 0; j < this.runs; j++) if (this.vStart[j] > k) this.vStart[j]--;
    for (const r of this.regions) {
      if (r.vStart > k) r.vStart--;
      if (r.vEnd > k) r.vEnd--;
    }
  }

  private runOf(v: number): number {
    return lastAtOrBefore(this.vStart, this.runs, v);
  }

  /** All the text so far. */
  openTextAll(): string {
    return this.text;
  }

  /** The decoded text of the open region. */
  openText(): string {
    return this.open ? this.text.slice(this.open.vStart) : '';
  }

  /** Removes the open region's characters (its decoding failed). */
  discardOpen(): void {
    if (this.open) {
      this.size -= this.unfilled;
      this.unfilled = 0;
      this.truncate(this.length - this.open.vStart);
    }
    this.open = undefined;
  }

  build(hostRange: HostRange): OffsetMap {
    const text = this.text;
    const n = text.length;
    const runs = this.runs;
    const vStart = this.vStart.slice(0, runs);
    const hStart = this.hStart.slice(0, runs);
    const hEnd = this.hEnd.slice(0, runs);
    const linear = this.linear.slice(0, runs);
    const regions = this.regions;
    const synthetic = [...this.synthetic];
    const finalEnd = regions.length ? regions[regions.length - 1].hEnd : hostRange.end;
    /** the run holding virtual character v (0 <= v < n) */
    const runOf = (v: number): number => lastAtOrBefore(vStart, runs, v);
    const startOf = (v: number): number => {
      const r = runOf(v);
      return linear[r] ? hStart[r] + (v - vStart[r]) : hStart[r];
    };
    const toHost = (v: number): number => {
      if (!n) return hostRange.start;
      if (v <= 0) return startOf(0);
      return v >= n ? finalEnd : startOf(v);
    };
    const toHostEnd = (v: number): number => {
      if (v <= 0 || v > n) return toHost(v);
      const r = runOf(v - 1);
      return linear[r] ? hStart[r] + (v - vStart[r]) : hEnd[r];
    };
    const fromHost = (h: number): number | undefined => {
      if (h < hostRange.start || h > hostRange.end) return undefined;
      if (!n) return 0;
      if (h >= finalEnd) return n;
      // the last run starting at or before h, then the last of its characters starting there
      let lo = lastAtOrBefore(hStart, runs, h);
      if (hStart[lo] > h) return 0;
      const len = (lo + 1 < runs ? vStart[lo + 1] : n) - vStart[lo];
      if (!linear[lo]) {
        // several characters for one span (an intrinsic, an escaped surrogate pair): the first
        let v = vStart[lo];
        while (lo > 0 && hStart[lo - 1] === hStart[lo] && !linear[lo - 1]) v = vStart[--lo];
        return v;
      }
      return vStart[lo] + Math.min(h - hStart[lo], len - 1);
    };
    const encodeEdit = (start: number, end: number, newText: string): HostEdit | undefined => {
      if (start > end || start < 0 || end > n) return undefined;
      if (synthetic.some((k) => k >= start && k < end)) return undefined;
      const r = regions.find((g) => g.encode && g.vStart <= start && end <= g.vEnd);
      if (!r?.encode) return undefined;
      const encoded = r.encode(newText);
      if (encoded === undefined) return undefined;
      const at = (v: number) => (v < r.vEnd ? startOf(v) : r.hEnd);
      return { start: at(start), end: at(end), text: encoded };
    };
    return { text, hostRange, toHost, toHostEnd, fromHost, encodeEdit };
  }
}

/**
 * The identity map over a host text: `text` is the host text with everything outside
 * `hostRange` blanked; `fixed` are host ranges rewritten in place (intrinsics), not editable.
 */
export function identityMap(text: string, hostRange: HostRange, fixed: HostRange[], encode: Encoder): OffsetMap {
  return {
    text,
    hostRange,
    toHost: (v) => Math.max(hostRange.start, Math.min(hostRange.end, v)),
    toHostEnd: (v) => Math.max(hostRange.start, Math.min(hostRange.end, v)),
    fromHost: (h) => (h >= hostRange.start && h <= hostRange.end ? h : undefined),
    encodeEdit(start, end, newText) {
      if (start > end || start < hostRange.start || end > hostRange.end) return undefined;
      if (fixed.some((f) => start < f.end && end > f.start)) return undefined;
      const encoded = encode(newText);
      return encoded === undefined ? undefined : { start, end, text: encoded };
    },
  };
}

/** A map for text that is not mapped character by character: everything points at `hostRange`. */
export function roughMap(text: string, hostRange: HostRange): OffsetMap {
  return {
    text,
    hostRange,
    toHost: (v) => (v >= text.length ? hostRange.end : hostRange.start),
    toHostEnd: (v) => (v <= 0 ? hostRange.start : hostRange.end),
    fromHost: (h) => (h >= hostRange.start && h <= hostRange.end ? 0 : undefined),
    encodeEdit: () => undefined,
  };
}

/** Spaces in place of every character but line breaks. */
export function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}
