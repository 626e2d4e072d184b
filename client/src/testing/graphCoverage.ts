/**
 * The Test Explorer's coverage on the graph preview: when a run with coverage ends, the graph
 * of each machine it covered marks that run's coverage (uncovered states and transitions, how
 * often the others ran). The latest run is the one shown: VS Code's API tells an extension
 * nothing when the user picks an earlier run in the Test Coverage view.
 */
import type * as vscode from 'vscode';
import type { CoverageReport } from '../../../asl/src/testing/coverage';
import type { GraphCoverage } from '../../../asl/src/graph/types';
import type { GraphPreview } from '../graph/index';
import { clock } from '../run/format';
import type { TestingApi } from './index';

/** The graph's form of one machine's coverage report: only what the marks need. */
function graphCoverageOf(report: CoverageReport, run: string): GraphCoverage {
  return {
    run,
    states: report.states.map(({ name, hits }) => ({ name, hits })),
    transitions: report.transitions.map(({ from, to, via, hits }) => ({ from, to, via, hits })),
  };
}

/** Follows the test runs of `testing` and shows their coverage on `graph`; dispose to stop. */
export function showTestCoverageInGraph(
  testing: Pick<TestingApi, 'onDidFinishRun'>,
  graph: Pick<GraphPreview, 'showCoverage'>,
): vscode.Disposable {
  return testing.onDidFinishRun((finished) => {
    if (!finished.machines.length) return;
    const run = `the coverage run of ${clock(new Date()).slice(0, 8)}`;
    for (const m of finished.machines) graph.showCoverage(m.uri, graphCoverageOf(m.report, run));
  });
}
