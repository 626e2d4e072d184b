/**
 * ASL107: StartAt / Next / Default / Choices[].Next / Catch[].Next must name a state of the
 * same scope (did-you-mean). ASL108: the name exists, but in another scope — Step Functions
 * forbids transitions into or out of a Parallel branch or Map processor (https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html).
 */
import type { StateInfo } from '../types';
import type { Rule } from './types';
import { didYouMean, didYouMeanText, span } from './util';

const KIND_TEXT = {
  StartAt: 'StartAt',
  Next: 'Next',
  Default: 'Default',
  ChoiceNext: 'Next',
  CatchNext: 'Next',
} as const;

export const references: Rule = {
  codes: {
    ASL107: { severity: 'error', title: 'Transition to a state that does not exist' },
    ASL108: { severity: 'error', title: 'Transition out of (or into) a Parallel branch or Map processor' },
  },
  check(ctx) {
    let byName: Map<string, StateInfo[]> | undefined;
    for (const ref of ctx.model.refs) {
      if (ref.scope.states.has(ref.target)) continue;
      byName ??= indexByName(ctx.model.states);
      const elsewhere = byName.get(ref.target);
      const field = KIND_TEXT[ref.kind];
      if (elsewhere?.length) {
        const where =
          ref.scope.kind === 'root'
            ? 'the top level'
            : ref.scope.kind === 'branch'
              ? 'this Parallel branch'
              : 'this Map item processor';
        ctx.report({
          code: 'ASL108',
          ...span(ref.node),
          message: `'${field}' cannot target '${ref.target}': it is not in ${where}. A transition cannot leave or enter a Parallel branch or Map item processor.`,
          relatedOffsets: [{ ...span(elsewhere[0].keyNode), message: `'${ref.target}' is defined here` }],
        });
        continue;
      }
      const suggestions = didYouMean(ref.target, ref.scope.states.keys());
      ctx.report({
        code: 'ASL107',
        ...span(ref.node),
        message: `The value of '${field}' must be the name of an existing state: '${ref.target}' does not exist.${didYouMeanText(suggestions)}`,
        data: suggestions.length
          ? { replaceWith: suggestions[0], suggestions }
          : { suggestions: [...ref.scope.states.keys()].slice(0, 20) },
      });
    }
  },
};

function indexByName(states: StateInfo[]): Map<string, StateInfo[]> {
  const m = new Map<string, StateInfo[]>();
  for (const s of states) {
    const list = m.get(s.name);
    if (list) list.push(s);
    else m.set(s.name, [s]);
  }
  return m;
}
