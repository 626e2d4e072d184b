/**
 * The 18 intrinsic functions of Step Functions (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html): arity, argument kinds,
 * hover/completion docs (our own words), and static validation of a parsed call.
 */
import type { IntrinsicArg, IntrinsicCall, PathError } from '../types';

/** What an argument must be (or what a function returns). `any` accepts every JSON value. */
export type IntrinsicArgKind = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'any';

export interface IntrinsicInfo {
  minArgs: number;
  /** undefined = unbounded */
  maxArgs: number | undefined;
  signature: string;
  /** markdown */
  description: string;
  /** kind per argument position; the last entry repeats for variadic functions */
  argKinds?: IntrinsicArgKind[];
  /** kind of the result (`any` when it depends on the data) */
  returns: IntrinsicArgKind;
}

/** Hash algorithms accepted by States.Hash (and JSONata `$hash`). */
export const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const;
/** Longest input States.Base64Encode / Base64Decode / Hash accept. */
export const INTRINSIC_MAX_STRING = 10_000;
/** Most items States.ArrayRange may produce. */
export const ARRAY_RANGE_MAX = 1000;

const fn = (
  minArgs: number,
  maxArgs: number | undefined,
  signature: string,
  description: string,
  argKinds: IntrinsicArgKind[],
  returns: IntrinsicArgKind,
): IntrinsicInfo => ({ minArgs, maxArgs, signature, description, argKinds, returns });

/** Catalogue of the intrinsic functions, keyed by full name (`States.Format`). */
export const INTRINSICS: Record<string, IntrinsicInfo> = {
  'States.Format': fn(
    1,
    undefined,
    'States.Format(template, ...values)',
    "Builds a string from `template`, replacing each `{}` with the next value in order. Strings are inserted as they are; numbers, booleans and null as their JSON text; arrays and objects the way Step Functions prints them (`[1, a]`, `{Arg1=1, Arg2=[]}`, strings unquoted), not as JSON — use `States.JsonToString` for JSON text. Write `\\{` / `\\}` for literal braces. The number of `{}` must equal the number of values.\n\nExample: `States.Format('Hello, {}!', $.name)`",
    ['string', 'any'],
    'string',
  ),
  'States.StringToJson': fn(
    1,
    1,
    'States.StringToJson(jsonString)',
    'Parses a string holding JSON text and returns the value it describes (the reverse of `States.JsonToString`). An empty or blank string gives null.\n\nExample: `States.StringToJson($.escaped)`',
    ['string'],
    'any',
  ),
  'States.JsonToString': fn(
    1,
    1,
    'States.JsonToString(value)',
    'Serialises a JSON value (normally selected with a path) into compact JSON text.\n\nExample: `States.JsonToString($.details)`',
    ['any'],
    'string',
  ),
  'States.Array': fn(
    0,
    undefined,
    'States.Array(...values)',
    "Returns an array holding its arguments, in order.\n\nExample: `States.Array($.id, 2, 'three')`",
    ['any'],
    'array',
  ),
  'States.ArrayPartition': fn(
    2,
    2,
    'States.ArrayPartition(array, chunkSize)',
    'Splits `array` into consecutive chunks of `chunkSize` items; the last chunk may be shorter. `chunkSize` must be a positive integer (non-integers are rounded).\n\nExample: `States.ArrayPartition($.items, 4)`',
    ['array', 'integer'],
    'array',
  ),
  'States.ArrayContains': fn(
    2,
    2,
    'States.ArrayContains(array, value)',
    "Returns `true` when `array` holds an item equal to `value` (deep JSON comparison), otherwise `false`.\n\nExample: `States.ArrayContains($.tags, 'prod')`",
    ['array', 'any'],
    'boolean',
  ),
  'States.ArrayRange': fn(
    3,
    3,
    'States.ArrayRange(start, end, step)',
    'Returns the integers from `start` to `end` inclusive, `step` apart. Arguments are integers (non-integers are rounded), `step` cannot be 0 and the result may hold at most 1,000 items.\n\nExample: `States.ArrayRange(1, 9, 2)` → `[1,3,5,7,9]`',
    ['integer', 'integer', 'integer'],
    'array',
  ),
  'States.ArrayGetItem': fn(
    2,
    2,
    'States.ArrayGetItem(array, index)',
    'Returns the item of `array` at zero-based `index`.\n\nExample: `States.ArrayGetItem($.items, 0)`',
    ['array', 'integer'],
    'any',
  ),
  'States.ArrayLength': fn(
    1,
    1,
    'States.ArrayLength(array)',
    'Returns the number of items in `array`.\n\nExample: `States.ArrayLength($.items)`',
    ['array'],
    'integer',
  ),
  'States.ArrayUnique': fn(
    1,
    1,
    'States.ArrayUnique(array)',
    'Returns `array` without duplicate items, keeping the first occurrence of each value.\n\nExample: `States.ArrayUnique($.ids)`',
    ['array'],
    'array',
  ),
  'States.Base64Encode': fn(
    1,
    1,
    'States.Base64Encode(text)',
    'Encodes `text` (UTF-8) as Base64. The input may hold at most 10,000 characters.\n\nExample: `States.Base64Encode($.payload)`',
    ['string'],
    'string',
  ),
  'States.Base64Decode': fn(
    1,
    1,
    'States.Base64Decode(base64)',
    'Decodes Base64 text back into a (UTF-8) string. The input may hold at most 10,000 characters.\n\nExample: `States.Base64Decode($.encoded)`',
    ['string'],
    'string',
  ),
  'States.Hash': fn(
    2,
    2,
    'States.Hash(data, algorithm)',
    "Returns the hexadecimal digest of `data` (at most 10,000 characters; non-strings are hashed as their JSON text). `algorithm` is one of `MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`.\n\nExample: `States.Hash($.body, 'SHA-256')`",
    ['any', 'string'],
    'string',
  ),
  'States.JsonMerge': fn(
    3,
    3,
    'States.JsonMerge(object1, object2, false)',
    'Merges two objects shallowly: keys of `object2` replace those of `object1`. The third argument must be `false` (deep merging is not supported).\n\nExample: `States.JsonMerge($.defaults, $.overrides, false)`',
    ['object', 'object', 'boolean'],
    'object',
  ),
  'States.MathRandom': fn(
    2,
    3,
    'States.MathRandom(start, end[, seed])',
    'Returns a random integer `n` with `start <= n < end`. With an integer `seed` the same seed always produces the same number. Arguments are rounded to integers.\n\nExample: `States.MathRandom(1, 100)`',
    ['integer', 'integer', 'integer'],
    'integer',
  ),
  'States.MathAdd': fn(
    2,
    2,
    'States.MathAdd(a, b)',
    'Returns `a + b`. Both values must be in the 32-bit signed integer range; non-integers are rounded to the nearest integer first.\n\nExample: `States.MathAdd($.counter, 1)`',
    ['number', 'number'],
    'integer',
  ),
  'States.StringSplit': fn(
    2,
    2,
    'States.StringSplit(text, delimiters)',
    'Splits `text` at every occurrence of any single character of `delimiters` and returns the non-empty pieces.\n\nExample: `States.StringSplit(\'a,b;c\', \',;\')` → `["a","b","c"]`',
    ['string', 'string'],
    'array',
  ),
  'States.UUID': fn(
    0,
    0,
    'States.UUID()',
    'Returns a new random version-4 UUID.\n\nExample: `States.UUID()`',
    [],
    'string',
  ),
};

/** Expected kind of argument `i` of `info` (variadic functions repeat their last kind). */
export function argKindAt(info: IntrinsicInfo, i: number): IntrinsicArgKind {
  const kinds = info.argKinds ?? [];
  if (kinds.length === 0) return 'any';
  return kinds[Math.min(i, kinds.length - 1)];
}

function literalKind(a: IntrinsicArg): IntrinsicArgKind | 'null' | undefined {
  switch (a.kind) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(a.value) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'call':
      return INTRINSICS[a.name]?.returns;
    default:
      return undefined; // paths: unknown until run time
  }
}

function compatible(expected: IntrinsicArgKind, actual: IntrinsicArgKind | 'null'): boolean {
  if (expected === 'any' || actual === 'any') return true;
  if (expected === actual) return true;
  if ((expected === 'number' || expected === 'integer') && (actual === 'number' || actual === 'integer')) return true;
  return false;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest known intrinsic name to `name`, if any is plausibly meant. */
export function suggestIntrinsic(name: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = name.toLowerCase();
  for (const k of Object.keys(INTRINSICS)) {
    if (k.toLowerCase() === lower) return k;
    const d = levenshtein(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** Number of `{}` placeholders in a Format template given its raw (escapes kept) text. */
export function countPlaceholders(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\') i++;
    else if (raw[i] === '{' && raw[i + 1] === '}') {
      n++;
      i++;
    }
  }
  return n;
}

const KIND_LABEL: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  null: 'null',
  any: 'any value',
};

/**
 * Static checks of a parsed call (nested calls included): unknown names with a suggestion,
 * arity, and argument values knowable before run time. Offsets are those of the parse.
 */
export function validateIntrinsic(call: IntrinsicCall): PathError[] {
  const out: PathError[] = [];
  check(call, out);
  return out;
}

function err(out: PathError[], at: { offset: number; length: number }, message: string): void {
  out.push({ offset: at.offset, length: Math.max(1, at.length), message });
}

function check(call: IntrinsicCall, out: PathError[]): void {
  for (const a of call.args) if (a.kind === 'call') check(a, out);
  const info = INTRINSICS[call.name];
  const nameRange = { offset: call.offset, length: call.name.length };
  if (!info) {
    const s = suggestIntrinsic(call.name);
    err(out, nameRange, `Unknown intrinsic function '${call.name}'.${s ? ` Did you mean '${s}'?` : ''}`);
    return;
  }
  const n = call.args.length;
  if (n < info.minArgs || (info.maxArgs !== undefined && n > info.maxArgs)) {
    const want =
      info.maxArgs === undefined
        ? `at least ${info.minArgs}`
        : info.minArgs === info.maxArgs
          ? `${info.minArgs}`
          : `${info.minArgs} to ${info.maxArgs}`;
    err(
      out,
      call,
      `${call.name} takes ${want} argument${want === '1' ? '' : 's'} but ${n} ${n === 1 ? 'was' : 'were'} given: ${info.signature}.`,
    );
    return;
  }
  call.args.forEach((a, i) => {
    const expected = argKindAt(info, i);
    const actual = literalKind(a);
    if (actual !== undefined && !compatible(expected, actual)) {
      err(
        out,
        a,
        `Argument ${i + 1} of ${call.name} must be ${KIND_LABEL[expected]}, but ${a.kind === 'call' ? `${a.name} returns` : 'it is'} ${KIND_LABEL[actual]}.`,
      );
    }
  });
  checkValues(call, out);
}

function num(a: IntrinsicArg | undefined): number | undefined {
  return a && a.kind === 'number' ? Math.round(a.value) : undefined;
}

/** Function-specific checks of literal arguments. */
function checkValues(call: IntrinsicCall, out: PathError[]): void {
  const a = call.args;
  switch (call.name) {
    case 'States.Format': {
      const t = a[0];
      if (t.kind === 'string') {
        const want = countPlaceholders(t.raw ?? t.value);
        if (want !== a.length - 1) {
          err(
            out,
            call,
            `The template has ${want} '{}' placeholder${want === 1 ? '' : 's'} but ${a.length - 1} value${a.length === 2 ? ' was' : 's were'} given.`,
          );
        }
      }
      break;
    }
    case 'States.Hash': {
      const alg = a[1];
      if (alg.kind === 'string' && !(HASH_ALGORITHMS as readonly string[]).includes(alg.value)) {
        err(out, alg, `Unsupported hash algorithm '${alg.value}'; use one of ${HASH_ALGORITHMS.join(', ')}.`);
      }
      if (a[0].kind === 'string' && a[0].value.length > INTRINSIC_MAX_STRING)
        err(out, a[0], `States.Hash accepts at most ${INTRINSIC_MAX_STRING} characters.`);
      break;
    }
    case 'States.JsonMerge':
      if (a[2].kind === 'boolean' && a[2].value)
        err(out, a[2], 'States.JsonMerge only supports a shallow merge: the third argument must be false.');
      break;
    case 'States.ArrayRange': {
      const [s, e, st] = [num(a[0]), num(a[1]), num(a[2])];
      if (st === 0) err(out, a[2], 'The step of States.ArrayRange cannot be 0.');
      else if (s !== undefined && e !== undefined && st !== undefined) {
        const count = (e - s) / st >= 0 ? Math.floor((e - s) / st) + 1 : 0;
        if (count > ARRAY_RANGE_MAX)
          err(out, call, `States.ArrayRange would produce ${count} items; at most ${ARRAY_RANGE_MAX} are allowed.`);
      }
      break;
    }
    case 'States.ArrayPartition': {
      const size = num(a[1]);
      if (size !== undefined && size <= 0)
        err(out, a[1], 'The chunk size of States.ArrayPartition must be a positive integer.');
      break;
    }
    case 'States.ArrayGetItem': {
      const idx = num(a[1]);
      if (idx !== undefined && idx < 0) err(out, a[1], 'The index of States.ArrayGetItem cannot be negative.');
      break;
    }
    case 'States.MathRandom': {
      const [s, e] = [num(a[0]), num(a[1])];
      if (s !== undefined && e !== undefined && s >= e)
        err(out, call, 'States.MathRandom needs start < end (start is inclusive, end exclusive).');
      break;
    }
    case 'States.MathAdd':
      for (const x of a) {
        const v = num(x);
        if (v !== undefined && (v > 2147483647 || v < -2147483648))
          err(out, x, 'States.MathAdd only accepts values in the 32-bit integer range (-2147483648 to 2147483647).');
      }
      break;
    case 'States.Base64Encode':
    case 'States.Base64Decode':
      if (a[0].kind === 'string' && a[0].value.length > INTRINSIC_MAX_STRING)
        err(out, a[0], `${call.name} accepts at most ${INTRINSIC_MAX_STRING} characters.`);
      break;
    case 'States.StringToJson':
      // a blank string is accepted: it gives null
      if (a[0].kind === 'string' && a[0].value.trim() !== '') {
        try {
          JSON.parse(a[0].value);
        } catch {
          err(out, a[0], 'The argument of States.StringToJson is not valid JSON text.');
        }
      }
      break;
  }
}
