/**
 * Service limits (reference §3.7, §6.11): ASL601 a static payload (Parameters, Arguments,
 * Result, Output, ItemSelector…) over 256 KiB — Step Functions fails the state with
 * States.DataLimitExceeded; ASL602 a definition over 1 MB (CreateStateMachine rejects it).
 */
import { nodeValue } from '../../../asl/src/parse/tree';
import type { Rule } from './types';
import { propertyEntries, span, utf8Length } from './util';

/** 256 KiB, the Step Functions payload quota (DG-QUOTA). */
export const MAX_PAYLOAD_BYTES = 262144;
/** 1 MB definition size (DG-QUOTA). */
export const MAX_DEFINITION_BYTES = 1048576;

const PAYLOAD_FIELDS = new Set([
  'Parameters',
  'Arguments',
  'Result',
  'Output',
  'ItemSelector',
  'ResultSelector',
  'Assign',
]);

export const limits: Rule = {
  codes: {
    ASL601: { severity: 'error', title: 'Static payload over 256 KiB' },
    ASL602: { severity: 'error', title: 'Definition over 1 MB' },
  },
  check(ctx) {
    const { doc } = ctx.model;
    // cheap pre-check: bytes >= UTF-16 length, so short texts are certainly small enough
    if (doc.text.length > MAX_DEFINITION_BYTES / 4) {
      const bytes = utf8Length(doc.text);
      if (bytes > MAX_DEFINITION_BYTES)
        ctx.report({
          code: 'ASL602',
          offset: 0,
          length: 1,
          message: `The definition is ${bytes} bytes; Step Functions accepts at most ${MAX_DEFINITION_BYTES} (1 MB).`,
        });
    }
    for (const s of ctx.model.states) {
      for (const [name, key, value] of propertyEntries(s.node)) {
        // JSON text is never more than ~3x shorter than the YAML/JSON source of the same value
        if (!value || !PAYLOAD_FIELDS.has(name) || value.length < MAX_PAYLOAD_BYTES / 3) continue;
        const bytes = utf8Length(JSON.stringify(nodeValue(value)) ?? '');
        if (bytes > MAX_PAYLOAD_BYTES) {
          ctx.report({
            code: 'ASL601',
            ...span(key),
            message: `'${name}' is ${bytes} bytes as JSON; Step Functions payloads are limited to ${MAX_PAYLOAD_BYTES} bytes (256 KiB), the state would fail with States.DataLimitExceeded.`,
          });
        }
      }
    }
  },
};
