/**
 * Per-state findings kept from one validation for the next validation of an edited version of
 * the same document. An edit usually touches one state; the per-state checks (Rule.checkState)
 * of the thousands of others would find again exactly what they found before, moved by the
 * length of the edit. What a state's per-state checks find depends only on
 * - its text, from its name to the end of its value (which fixes its name and its subtree),
 * - its query language, the machine's query language and the validation options,
 * so the findings of a state whose text lies wholly before or after the edited region are
 * reused, moved, when the rest matches too. The text fixes all this only where checkOnce.ts
 * `textFixesParts` says so; elsewhere nothing is kept.
 */
import type { MachineModel, StateInfo } from '../types';
import type { AslDiagnostic, ValidateOptions } from './types';
import { moved, textFixesParts } from './checkOnce';

interface Kept {
  /** where the state's text ended when its findings were made (it started at the map key) */
  end: number;
  queryLanguage: string;
  /** the findings of each per-state rule, in rule order */
  found: (readonly AslDiagnostic[])[];
}

/** The region where two versions of a text differ: [start, oldEnd) became [start, newEnd). */
interface Edit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Strings compared a block at a time before character by character. */
const BLOCK = 4096;

/** The findings of one document's states; hand the same object to each validation of that document. */
export class StateFindings {
  /** by the offset where the state's text started */
  private kept = new Map<number, Kept>();
  private next = new Map<number, Kept>();
  /** the machine's query language and the options the kept findings were made under */
  private context = '';
  private text = '';
  private edit: Edit = { start: 0, oldEnd: 0, newEnd: 0 };

  /**
   * Starts a validation of `model` with `rules` per-state rules. Returns false when its states'
   * findings can neither be reused nor kept (then nothing is kept from before either).
   */
  begin(model: MachineModel, options: ValidateOptions, rules: number): boolean {
    const usable = textFixesParts(model.doc, options);
    const context = `${rules}|${model.queryLanguage}|${JSON.stringify(options)}`;
    const text = model.doc.text;
    if (!usable || context !== this.context) this.kept = new Map();
    else this.edit = editBetween(this.text, text);
    this.next = new Map();
    this.context = context;
    this.text = text;
    return usable;
  }

  /** The kept findings of a state the edit did not touch, moved to where `state` is; undefined when there are none. */
  take(state: StateInfo): (readonly AslDiagnostic[])[] | undefined {
    const start = state.keyNode.offset;
    const end = state.node.offset + state.node.length;
    const { start: editStart, oldEnd, newEnd } = this.edit;
    const delta = newEnd - oldEnd;
    let was: number;
    if (end <= editStart) was = start;
    else if (start >= newEnd) was = start - delta;
    else return undefined;
    const kept = this.kept.get(was);
    if (!kept || kept.end !== was + (end - start) || kept.queryLanguage !== state.queryLanguage) return undefined;
    const found =
      was === start ? kept.found : kept.found.map((list) => (list.length ? list.map((d) => moved(d, delta)) : list));
    this.next.set(start, { end, queryLanguage: state.queryLanguage, found });
    return found;
  }

  /** Keeps what the per-state rules found on `state`, unless some of it lies outside the state's text. */
  keep(state: StateInfo, found: (readonly AslDiagnostic[])[]): void {
    const start = state.keyNode.offset;
    const end = state.node.offset + state.node.length;
    const inside = (r: { offset: number; length: number }): boolean => r.offset >= start && r.offset + r.length <= end;
    // indexed loops: this runs for every state of a large machine
    for (let k = 0; k < found.length; k++) {
      const list = found[k];
      for (let j = 0; j < list.length; j++) {
        const d = list[j];
        if (!inside(d) || (d.relatedOffsets && !d.relatedOffsets.every(inside))) return;
      }
    }
    this.next.set(start, { end, queryLanguage: state.queryLanguage, found });
  }

  /** Ends the validation: what it found (on all of its states) is what the next one may reuse. */
  end(): void {
    this.kept = this.next;
    this.next = new Map();
  }

  /** Forgets everything (a rule failed: its findings are incomplete). */
  clear(): void {
    this.kept = new Map();
    this.next = new Map();
    this.context = '';
  }
}

/** The smallest region outside which `before` and `after` are the same. */
function editBetween(before: string, after: string): Edit {
  const n = Math.min(before.length, after.length);
  let start = 0;
  while (start + BLOCK <= n && before.slice(start, start + BLOCK) === after.slice(start, start + BLOCK)) start += BLOCK;
  while (start < n && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // the common end, not reaching into the common start
  let tail = 0;
  const most = n - start;
  while (
    tail + BLOCK <= most &&
    before.slice(before.length - tail - BLOCK, before.length - tail) ===
      after.slice(after.length - tail - BLOCK, after.length - tail)
  )
    tail += BLOCK;
  while (tail < most && before.charCodeAt(before.length - tail - 1) === after.charCodeAt(after.length - tail - 1))
    tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}
