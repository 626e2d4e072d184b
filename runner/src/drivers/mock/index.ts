/**
 * The mock driver: answers Task states listed in the selected test case of a Step Functions
 * Local mock config. Invocation counters are per execution and per state, and count every
 * attempt (retries) and every Map iteration, as Step Functions Local does. `Return` is the
 * task result directly, also for `.sync` and `.waitForTaskToken` resources.
 */
import { StatesError } from '../../../../asl/src/types';
import { ProblemError } from '../../problems';
import type { DriverResult, TaskDriver, TaskInvocation } from '../types';
import { responseFor, testCase, type MockConfig } from './mockConfig';

export type { MockConfig } from './mockConfig';

export class MockDriver implements TaskDriver {
  readonly name = 'mock';
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly states: Record<string, string>;

  constructor(
    private readonly config: MockConfig,
    readonly machineName: string,
    readonly testCaseName: string,
  ) {
    this.states = testCase(config, machineName, testCaseName) ?? {};
  }

  /** True when the test case mocks the state with this name. */
  handlesState(stateName: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.states, stateName);
  }

  /** The mock driver is chosen by state name (handlesState), never by resource. */
  canHandle(): boolean {
    return false;
  }

  async invoke(inv: TaskInvocation): Promise<DriverResult> {
    const responseName = this.states[inv.stateName]!;
    let perState = this.counters.get(inv.executionArn);
    if (!perState) this.counters.set(inv.executionArn, (perState = new Map()));
    const n = perState.get(inv.stateName) ?? 0;
    perState.set(inv.stateName, n + 1);
    const r = responseFor(this.config, responseName, n);
    if (!r) {
      throw new ProblemError(
        'AslWorkbench.MockMissing',
        `The mocked response '${responseName}' (test case '${this.testCaseName}', state '${inv.stateName}') has no entry for invocation ${n}; add a key "${n}" or a range such as "${n}-${n + 9}".`,
        {
          kind: 'mockMissing',
          stateName: inv.stateName,
          testCase: this.testCaseName,
          response: responseName,
          invocation: n,
        },
      );
    }
    inv.log(`mock: ${responseName}[${n}] → ${'Return' in r ? 'Return' : 'Throw'}`, 'mock');
    if ('Throw' in r) throw new StatesError(r.Throw?.Error ?? 'States.TaskFailed', r.Throw?.Cause ?? '');
    return { kind: 'done', output: r.Return };
  }

  async disposeExecution(executionArn: string): Promise<void> {
    this.counters.delete(executionArn);
  }
}
