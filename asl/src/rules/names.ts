/**
 * ASL111: state names must be unique in the whole machine, nested branches and processors
 * included. ASL112: a state name is 1–80 characters (history `name`, https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 */
import type { StateInfo } from '../types';
import type { Rule } from './types';
import { span } from './util';

/** Maximum state name length (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, `name` 1–80 in https://docs.aws.amazon.com/step-functions/latest/apireference/API_StateEnteredEventDetails.html). */
export const MAX_STATE_NAME = 80;

export const names: Rule = {
  codes: {
    ASL111: { severity: 'error', title: 'Duplicate state name' },
    ASL112: { severity: 'error', title: 'State name too long or empty' },
  },
  check(ctx) {
    const { model } = ctx;
    if (model.duplicates.length) {
      const first = new Map<string, StateInfo>();
      for (const s of model.states) if (!first.has(s.name)) first.set(s.name, s);
      for (const d of model.duplicates) {
        const f = first.get(d.name);
        ctx.report({
          code: 'ASL111',
          ...span(d.keyNode),
          message: `Duplicate state name '${d.name}': state names must be unique across the whole state machine, branches and processors included.`,
          relatedOffsets:
            f && f !== d ? [{ ...span(f.keyNode), message: `'${d.name}' is first defined here` }] : undefined,
        });
      }
    }
    for (const s of model.states) {
      // count code points like the service does, not UTF-16 units
      const len = [...s.name].length;
      if (len > MAX_STATE_NAME)
        ctx.report({
          code: 'ASL112',
          ...span(s.keyNode),
          message: `State name is ${len} characters long; the maximum is ${MAX_STATE_NAME}.`,
        });
      else if (len === 0) ctx.report({ code: 'ASL112', ...span(s.keyNode), message: 'State name must not be empty.' });
    }
  },
};
