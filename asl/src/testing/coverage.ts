/**
 * State and transition coverage of a machine from what test executions ran: every state
 * (inside Parallel branches and Map processors too) and every transition the definition
 * declares — Next, each Choice rule, Default and each Catch — with how often it was taken,
 * as a text table, JSON and lcov (state lines as lines, transitions as branches).
 */
import type { MachineModel, Position, StateRef } from '../types';

/** What executions ran: hits per state name and per transition key (`transitionKey`). */
export interface Observations {
  states: Record<string, number>;
  transitions: Record<string, number>;
}

/** How a state left for the next one: its Next, a Choice (rule or Default) or a Catch. */
export type ExitKind = 'next' | 'choice' | 'catch';

export function transitionKey(from: string, kind: ExitKind, to: string): string {
  return `${from}\n${kind}\n${to}`;
}

export function emptyObservations(): Observations {
  return { states: {}, transitions: {} };
}

/** Adds `b`'s hits to `a`. */
export function mergeObservations(a: Observations, b: Observations): Observations {
  for (const [k, n] of Object.entries(b.states)) a.states[k] = (a.states[k] ?? 0) + n;
  for (const [k, n] of Object.entries(b.transitions)) a.transitions[k] = (a.transitions[k] ?? 0) + n;
  return a;
}

export interface StateCoverage {
  name: string;
  type: string;
  /** zero-based line of the state's name */
  line: number;
  hits: number;
}

export interface TransitionCoverage {
  from: string;
  to: string;
  /** `Next`, `Default`, `Choices[0]`, `Catch[1]` */
  via: string;
  /** zero-based line of the reference */
  line: number;
  hits: number;
}

export interface CoverageReport {
  states: StateCoverage[];
  transitions: TransitionCoverage[];
  totals: { states: number; statesCovered: number; transitions: number; transitionsCovered: number };
}

const REF_LABEL: Partial<Record<StateRef['kind'], string>> = { Next: 'Next', Default: 'Default' };

/**
 * The coverage of `model` by `obs`. `positionAt` maps offsets of the model's document to
 * positions in the file the user has open (a template's host text, for an embedded machine).
 *
 * A Choice that reaches a state named by both a rule and Default, or a state with two
 * Catchers to the same state, is counted for the first such reference: the history does not
 * say which rule matched (local behaviour).
 */
export function coverageOf(
  model: MachineModel,
  obs: Observations,
  positionAt: (offset: number) => Position,
): CoverageReport {
  const duplicates = new Set(model.duplicates);
  const states: StateCoverage[] = [];
  const transitions: TransitionCoverage[] = [];
  for (const s of model.states) {
    if (duplicates.has(s)) continue;
    states.push({
      name: s.name,
      type: s.type ?? '?',
      line: positionAt(s.keyNode.offset).line,
      hits: obs.states[s.name] ?? 0,
    });
    let choice = 0;
    let catcher = 0;
    const rows: { ref: StateRef; via: string; row: TransitionCoverage }[] = [];
    for (const ref of s.refs) {
      const via =
        ref.kind === 'ChoiceNext'
          ? `Choices[${choice++}]`
          : ref.kind === 'CatchNext'
            ? `Catch[${catcher++}]`
            : REF_LABEL[ref.kind];
      if (!via) continue;
      const row = { from: s.name, to: ref.target, via, line: positionAt(ref.node.offset).line, hits: 0 };
      rows.push({ ref, via, row });
      transitions.push(row);
    }
    const first = (kinds: StateRef['kind'][], to: string): TransitionCoverage | undefined => {
      for (const kind of kinds) {
        const hit = rows.find((r) => r.ref.kind === kind && r.ref.target === to);
        if (hit) return hit.row;
      }
      return undefined;
    };
    for (const [key, n] of Object.entries(obs.transitions)) {
      const [from, kind, to] = key.split('\n') as [string, ExitKind, string];
      if (from !== s.name) continue;
      const row =
        kind === 'catch'
          ? first(['CatchNext'], to)
          : kind === 'choice'
            ? first(['ChoiceNext', 'Default'], to)
            : first(['Next'], to);
      if (row) row.hits += n;
    }
  }
  return {
    states,
    transitions,
    totals: {
      states: states.length,
      statesCovered: states.filter((s) => s.hits > 0).length,
      transitions: transitions.length,
      transitionsCovered: transitions.filter((t) => t.hits > 0).length,
    },
  };
}

function percent(covered: number, total: number): string {
  return total === 0 ? '100.0%' : `${((covered / total) * 100).toFixed(1)}%`;
}

/** The coverage summary line and the uncovered states and transitions of one machine. */
export function formatCoverage(label: string, report: CoverageReport): string[] {
  const { totals } = report;
  const lines = [
    `${label}: states ${totals.statesCovered}/${totals.states} (${percent(totals.statesCovered, totals.states)}), transitions ${totals.transitionsCovered}/${totals.transitions} (${percent(totals.transitionsCovered, totals.transitions)})`,
  ];
  for (const s of report.states) if (!s.hits) lines.push(`  state not run: ${s.name} (line ${s.line + 1})`);
  for (const t of report.transitions)
    if (!t.hits) lines.push(`  transition not taken: ${t.from} --${t.via}--> ${t.to} (line ${t.line + 1})`);
  return lines;
}

/** A table with one row per machine: covered/total states and transitions. */
export function coverageTable(rows: { label: string; report: CoverageReport }[]): string[] {
  const head = ['machine', 'states', '%', 'transitions', '%'];
  const body = rows.map(({ label, report: { totals: t } }) => [
    label,
    `${t.statesCovered}/${t.states}`,
    percent(t.statesCovered, t.states),
    `${t.transitionsCovered}/${t.transitions}`,
    percent(t.transitionsCovered, t.transitions),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

/**
 * lcov records (the format of `geninfo`, read by Codecov, Coveralls, SonarQube and most CI
 * coverage viewers): each state's name line as a line (hits = runs), each transition as a
 * branch of its state (block = the state's index).
 */
export function lcovRecord(sourceFile: string, report: CoverageReport): string {
  const out = ['TN:', `SF:${sourceFile}`];
  const lineHits = new Map<number, number>();
  for (const s of report.states) lineHits.set(s.line + 1, (lineHits.get(s.line + 1) ?? 0) + s.hits);
  const blocks = new Map(report.states.map((s, i) => [s.name, i]));
  const branchesAt = new Map<string, number>();
  for (const t of report.transitions) {
    const block = blocks.get(t.from) ?? 0;
    const key = `${t.line + 1},${block}`;
    const n = branchesAt.get(key) ?? 0;
    branchesAt.set(key, n + 1);
    out.push(`BRDA:${t.line + 1},${block},${n},${t.hits > 0 ? t.hits : '-'}`);
  }
  out.push(`BRF:${report.transitions.length}`, `BRH:${report.totals.transitionsCovered}`);
  for (const [line, hits] of [...lineHits].sort((a, b) => a[0] - b[0])) out.push(`DA:${line},${hits}`);
  out.push(`LF:${lineHits.size}`, `LH:${[...lineHits.values()].filter((h) => h > 0).length}`, 'end_of_record');
  return out.join('\n') + '\n';
}
