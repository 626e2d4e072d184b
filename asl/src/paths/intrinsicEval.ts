/**
 * Run-time evaluation of intrinsic functions with Step Functions' semantics (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
 * Every failure is a StatesError('States.IntrinsicFailure'); a path argument that selects
 * nothing is a StatesError('States.ParameterPathFailure') naming the path.
 */
import { StatesError, type EvalScope, type IntrinsicArg, type IntrinsicCall, type IntrinsicHost } from '../types';
import { base64Decode, base64Encode, canonicalJson, seededInt } from './codec';
import { jsonEquals } from './filter';
import { evaluateJsonPath } from './evaluate';
import {
  ARRAY_RANGE_MAX,
  HASH_ALGORITHMS,
  INTRINSICS,
  INTRINSIC_MAX_STRING,
  countPlaceholders,
} from './intrinsicCatalog';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const fail = (message: string): never => {
  throw new StatesError('States.IntrinsicFailure', message);
};

/** JSON text of a value for messages, cut to a readable length. */
export function preview(v: unknown): string {
  const s = v === undefined ? 'undefined' : (JSON.stringify(v) ?? String(v));
  return s.length > 200 ? s.slice(0, 200) + '…' : s;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function argValue(a: IntrinsicArg, scope: EvalScope, host: IntrinsicHost): unknown {
  switch (a.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return a.value;
    case 'null':
      return null;
    case 'path': {
      const r = evaluateJsonPath(a.path, scope);
      if (!r.found) {
        throw new StatesError(
          'States.ParameterPathFailure',
          `The JsonPath argument '${a.path.text}' of the intrinsic function could not be found in the input '${preview(a.path.root === '$$' ? scope.context : a.path.root === '$' ? scope.input : scope.variables)}'`,
        );
      }
      return r.value;
    }
    case 'call':
      return evaluateIntrinsic(a, scope, host);
  }
}

function needArray(name: string, v: unknown, what = 'argument 1'): unknown[] {
  if (!Array.isArray(v)) fail(`${name}: ${what} must be an array, but it is ${typeName(v)} (${preview(v)}).`);
  return v as unknown[];
}
function needString(name: string, v: unknown, what = 'argument 1'): string {
  if (typeof v !== 'string') fail(`${name}: ${what} must be a string, but it is ${typeName(v)} (${preview(v)}).`);
  return v as string;
}
/** Integer argument: non-integers are rounded to the nearest integer (AWS input validation). */
function needInt(name: string, v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail(`${name}: ${what} must be a number, but it is ${typeName(v)} (${preview(v)}).`);
  return Math.round(v as number);
}
function needObject(name: string, v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(`${name}: ${what} must be an object, but it is ${typeName(v)} (${preview(v)}).`);
  return v as Record<string, unknown>;
}

/** Renders the Format template: `{}` takes the next value; `\{ \} \' \\` are literal. */
function format(raw: string, values: unknown[]): string {
  const want = countPlaceholders(raw);
  if (want !== values.length)
    fail(`States.Format: the template has ${want} '{}' placeholder(s) but ${values.length} value(s) were given.`);
  let out = '';
  let k = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1];
      if (n === '{' || n === '}' || n === "'" || n === '\\') {
        out += n;
        i++;
        continue;
      }
      out += c;
    } else if (c === '{' && raw[i + 1] === '}') {
      out += formatValue(values[k++]);
      i++;
    } else out += c;
  }
  return out;
}

/**
 * How States.Format renders one argument: strings as they are, other scalars as JSON, and
 * arrays and objects the way Step Functions' Java runtime prints its lists and maps —
 * `[1, a]`, `{Arg1=1, Arg2=[]}`, nested values rendered the same way (strings unquoted), as
 * executions recorded on AWS show (the `{}` substitution rule of
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-generic).
 */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) parts.push(`${k}=${formatValue(x)}`);
    return `{${parts.join(', ')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Evaluates an intrinsic call in `scope`; `host` supplies hashing, UUIDs and unseeded
 * randomness. Throws StatesError on failure.
 */
export function evaluateIntrinsic(call: IntrinsicCall, scope: EvalScope, host: IntrinsicHost): unknown {
  const name = call.name;
  const info = INTRINSICS[name];
  if (!info) fail(`Unknown intrinsic function '${name}'.`);
  const n = call.args.length;
  if (n < info.minArgs || (info.maxArgs !== undefined && n > info.maxArgs))
    fail(`${name}: wrong number of arguments (${n}); expected ${info.signature}.`);
  const v = call.args.map((a) => argValue(a, scope, host));
  switch (name) {
    case 'States.Format': {
      const t = call.args[0];
      const raw = t.kind === 'string' ? (t.raw ?? t.value) : needString(name, v[0], 'the template');
      return format(raw, v.slice(1));
    }
    case 'States.StringToJson': {
      const s = needString(name, v[0]);
      // an empty or blank string is JSON null on AWS (recorded executions), not a parse error
      if (s.trim() === '') return null;
      try {
        return JSON.parse(s);
      } catch {
        return fail(`States.StringToJson: the argument is not valid JSON text: ${preview(s)}.`);
      }
    }
    case 'States.JsonToString':
      return JSON.stringify(v[0]);
    case 'States.Array':
      return v;
    case 'States.ArrayPartition': {
      const arr = needArray(name, v[0]);
      const size = needInt(name, v[1], 'the chunk size');
      if (size <= 0) fail(`States.ArrayPartition: the chunk size must be a positive integer (got ${preview(v[1])}).`);
      const out: unknown[][] = [];
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains': {
      const arr = needArray(name, v[0]);
      return arr.some((x) => jsonEquals(x, v[1]));
    }
    case 'States.ArrayRange': {
      const start = needInt(name, v[0], 'start');
      const end = needInt(name, v[1], 'end');
      const step = needInt(name, v[2], 'step');
      if (step === 0) fail('States.ArrayRange: step cannot be 0.');
      const count = (end - start) / step >= 0 ? Math.floor((end - start) / step) + 1 : 0;
      if (count > ARRAY_RANGE_MAX)
        fail(`States.ArrayRange: the range would hold ${count} items; at most ${ARRAY_RANGE_MAX} are allowed.`);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(start + i * step);
      return out;
    }
    case 'States.ArrayGetItem': {
      const arr = needArray(name, v[0]);
      const idx = needInt(name, v[1], 'the index');
      if (idx < 0 || idx >= arr.length)
        fail(`States.ArrayGetItem: index ${idx} is out of bounds for an array of ${arr.length} item(s).`);
      return arr[idx];
    }
    case 'States.ArrayLength':
      return needArray(name, v[0]).length;
    case 'States.ArrayUnique': {
      const arr = needArray(name, v[0]);
      const seen = new Set<string>();
      const out: unknown[] = [];
      for (const x of arr) {
        const key = canonicalJson(x);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(x);
        }
      }
      return out;
    }
    case 'States.Base64Encode': {
      const s = needString(name, v[0]);
      if (s.length > INTRINSIC_MAX_STRING)
        fail(`States.Base64Encode: the input has ${s.length} characters; at most ${INTRINSIC_MAX_STRING} are allowed.`);
      return base64Encode(s);
    }
    case 'States.Base64Decode': {
      const s = needString(name, v[0]);
      if (s.length > INTRINSIC_MAX_STRING)
        fail(`States.Base64Decode: the input has ${s.length} characters; at most ${INTRINSIC_MAX_STRING} are allowed.`);
      const out = base64Decode(s);
      if (out === undefined) fail(`States.Base64Decode: the input is not valid Base64: ${preview(s)}.`);
      return out;
    }
    case 'States.Hash': {
      const alg = needString(name, v[1], 'the algorithm');
      if (!(HASH_ALGORITHMS as readonly string[]).includes(alg))
        fail(`States.Hash: unsupported algorithm '${alg}'; use one of ${HASH_ALGORITHMS.join(', ')}.`);
      const data = typeof v[0] === 'string' ? v[0] : JSON.stringify(v[0]);
      if (data === undefined || v[0] === null) fail('States.Hash: the data to hash cannot be null.');
      if (data.length > INTRINSIC_MAX_STRING)
        fail(`States.Hash: the input has ${data.length} characters; at most ${INTRINSIC_MAX_STRING} are allowed.`);
      return host.hash(alg as (typeof HASH_ALGORITHMS)[number], data);
    }
    case 'States.JsonMerge': {
      const a = needObject(name, v[0], 'argument 1');
      const b = needObject(name, v[1], 'argument 2');
      if (v[2] !== false)
        fail(
          `States.JsonMerge: the third argument must be false (only shallow merges are supported), got ${preview(v[2])}.`,
        );
      return { ...a, ...b };
    }
    case 'States.MathRandom': {
      const start = needInt(name, v[0], 'start');
      const end = needInt(name, v[1], 'end');
      checkInt32(name, start, 'start');
      checkInt32(name, end, 'end');
      if (start >= end) fail(`States.MathRandom: start (${start}) must be less than end (${end}).`);
      if (n === 3) return start + seededInt(needInt(name, v[2], 'seed'), end - start);
      return start + Math.floor(host.random() * (end - start));
    }
    case 'States.MathAdd': {
      const a = needInt(name, v[0], 'argument 1');
      const b = needInt(name, v[1], 'argument 2');
      checkInt32(name, a, 'argument 1');
      checkInt32(name, b, 'argument 2');
      return a + b;
    }
    case 'States.StringSplit': {
      const s = needString(name, v[0]);
      const delims = needString(name, v[1], 'the delimiters');
      // Each character of the second argument is a delimiter; empty pieces are dropped.
      const out: string[] = [];
      let cur = '';
      for (const ch of s) {
        if (delims.includes(ch)) {
          if (cur) out.push(cur);
          cur = '';
        } else cur += ch;
      }
      if (cur) out.push(cur);
      return out;
    }
    case 'States.UUID':
      return host.uuid();
  }
  return fail(`Intrinsic function '${name}' is not implemented.`);
}

function checkInt32(name: string, v: number, what: string): void {
  if (v < INT32_MIN || v > INT32_MAX)
    fail(`${name}: ${what} (${v}) is outside the 32-bit integer range ${INT32_MIN}..${INT32_MAX}.`);
}
