/**
 * ASL109: every state must be reachable from its scope's StartAt (graph search over Next,
 * Default, Choices[].Next and Catch[].Next, per scope). ASL110: some terminal state (Succeed,
 * Fail or "End": true) must be reachable, or the scope can never finish (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html).
 */
import type { Scope, StateInfo } from '../types';
import { TRANSITION_TYPES } from './stateFields';
import type { Rule, RuleContext } from './types';
import { objectAnchor, span } from './util';

export const MSG_UNREACHABLE = 'cannot be reached: no transition from StartAt leads to it.';

export const reachability: Rule = {
  codes: {
    ASL109: { severity: 'error', title: 'Unreachable state' },
    ASL110: { severity: 'error', title: 'No reachable terminal state' },
  },
  check(ctx) {
    for (const scope of ctx.model.scopes) checkScope(scope, ctx);
  },
};

function isTerminal(s: StateInfo): boolean {
  if (s.type === 'Succeed' || s.type === 'Fail') return true;
  return s.end?.type === 'boolean' && s.end.value === true;
}

/** A state that is not terminal, needs `Next` and has none: ASL106 already says so. */
function lacksNext(s: StateInfo): boolean {
  // a state with a type is an object: the type is read from its fields
  return !s.next && !!s.type && TRANSITION_TYPES.has(s.type);
}

function checkScope(scope: Scope, ctx: RuleContext): void {
  const start = scope.startAt && scope.states.get(scope.startAt.target);
  if (!start) return; // missing or unknown StartAt is reported by ASL101/ASL107
  const seen = new Set<StateInfo>([start]);
  const stack = [start];
  let terminal = false;
  // a path that stops at a state without its transition does not loop: ASL106 is the one cause to report
  let unresolved = false;
  while (stack.length) {
    const s = stack.pop()!;
    if (isTerminal(s)) terminal = true;
    else if (lacksNext(s)) unresolved = true;
    for (const ref of s.refs) {
      const t = scope.states.get(ref.target);
      if (!t) {
        unresolved = true;
        continue;
      }
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    }
  }
  for (const s of scope.stateList) {
    // duplicates are not in scope.states and are reported by ASL111
    if (!seen.has(s) && scope.states.get(s.name) === s) {
      ctx.report({
        code: 'ASL109',
        ...span(s.keyNode),
        message: `State '${s.name}' ${MSG_UNREACHABLE}`,
        tags: ['unnecessary'],
      });
    }
  }
  if (!terminal && !unresolved) {
    const anchor = scope.startAt ? span(scope.startAt.node) : objectAnchor(scope.node);
    ctx.report({
      code: 'ASL110',
      ...anchor,
      message:
        'No terminal state is reachable from StartAt: every path loops forever. Add a Succeed or Fail state, or "End": true.',
    });
  }
}
