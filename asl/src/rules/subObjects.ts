/**
 * The objects nested in a state below its own fields — a Map's ItemReader (and its
 * ReaderConfig), ItemBatcher and ResultWriter (and its WriterConfig), a Task's Credentials —
 * checked like the state itself: fields of the other query language (ASL208/ASL209), unknown
 * fields with did-you-mean (ASL102), value types (ASL104) and required fields (ASL101).
 * Called by the stateFields rule, which owns those codes.
 */
import {
  CREDENTIALS_FIELDS,
  ITEM_BATCHER_FIELDS,
  ITEM_READER_FIELDS,
  READER_CONFIG_FIELDS,
  RESULT_WRITER_FIELDS,
  WRITER_CONFIG_FIELDS,
  type FieldSets,
} from '../schemas/fields';
import type { AstNode, QueryLanguage, StateInfo } from '../types';
import { fieldKindMessage } from './fieldTypes';
import type { RuleContext, Severity } from './types';
import { forEachProperty, hasField, propertyEntries } from '../parse/tree';
import { didYouMean, didYouMeanText, objectAnchor, span } from './util';

interface SubObject {
  /** fields per query language */
  fields: FieldSets;
  required?: readonly string[];
  /**
   * Severity of a field that is not in `fields`. Configuration blocks that AWS extends from time
   * to time (new input formats, new transformations) get a warning, so a field AWS adds that
   * this list lacks does not block a deployable machine.
   */
  unknownSeverity: Severity;
  children?: Readonly<Record<string, SubObject>>;
}

const READER_CONFIG: SubObject = { fields: READER_CONFIG_FIELDS, unknownSeverity: 'warning' };
const WRITER_CONFIG: SubObject = { fields: WRITER_CONFIG_FIELDS, unknownSeverity: 'warning' };

/** Nested objects per state type, by field name. */
const SUB_OBJECTS: Readonly<Record<string, Readonly<Record<string, SubObject>>>> = {
  Map: {
    ItemReader: {
      fields: ITEM_READER_FIELDS,
      required: ['Resource'],
      unknownSeverity: 'error',
      children: { ReaderConfig: READER_CONFIG },
    },
    ItemBatcher: { fields: ITEM_BATCHER_FIELDS, unknownSeverity: 'error' },
    ResultWriter: { fields: RESULT_WRITER_FIELDS, unknownSeverity: 'error', children: { WriterConfig: WRITER_CONFIG } },
  },
  Task: { Credentials: { fields: CREDENTIALS_FIELDS, unknownSeverity: 'error' } },
};

/** Checks the nested objects of one state (its own fields are checked by stateFields). */
export function checkSubObjects(state: StateInfo, ctx: RuleContext): void {
  const specs = state.type ? SUB_OBJECTS[state.type] : undefined;
  if (!specs || state.node.type !== 'object') return;
  forEachProperty(state.node, (name, _key, value) => {
    const spec = specs[name];
    // a non-object value is already reported by stateFields (FIELD_KINDS)
    if (spec && value?.type === 'object') checkObject(value, name, spec, state.queryLanguage, ctx);
  });
}

function checkObject(obj: AstNode, where: string, spec: SubObject, ql: QueryLanguage, ctx: RuleContext): void {
  const allowed = spec.fields[ql];
  const other = spec.fields[ql === 'JSONPath' ? 'JSONata' : 'JSONPath'];
  for (const [name, key, value] of propertyEntries(obj)) {
    if (!allowed.includes(name)) {
      if (other.includes(name)) {
        ctx.report({
          code: ql === 'JSONata' ? 'ASL208' : 'ASL209',
          severity: 'error',
          ...span(key),
          message: `Field '${name}' of ${where} is only supported in ${ql === 'JSONata' ? 'JSONPath' : 'JSONata'} states; this state uses ${ql}.`,
          data: { remove: true },
        });
        continue;
      }
      const suggestions = didYouMean(name, allowed);
      ctx.report({
        code: 'ASL102',
        severity: spec.unknownSeverity,
        ...span(key),
        message: `Field '${name}' is not supported in ${where}.${didYouMeanText(suggestions)}`,
        data: suggestions.length ? { replaceWith: suggestions[0], suggestions } : { remove: true },
      });
      continue;
    }
    if (!value) continue;
    const msg = fieldKindMessage(name, value, ql);
    if (msg)
      ctx.report({
        code: 'ASL104',
        severity: 'error',
        ...span(value),
        message: msg.replace(/^'([^']+)'/, `'${where}.$1'`),
      });
    const child = spec.children?.[name];
    if (child && value.type === 'object') checkObject(value, `${where}.${name}`, child, ql, ctx);
  }
  const missing = (spec.required ?? []).filter((f) => !hasField(obj, f));
  if (missing.length)
    ctx.report({
      code: 'ASL101',
      severity: 'error',
      ...objectAnchor(obj),
      message: `${where} is missing required field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`,
      data: { missing },
    });
}
