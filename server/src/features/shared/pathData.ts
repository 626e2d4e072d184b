/**
 * Static data for path completion and hover: the context object (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html), the
 * `$states` reserved variable of JSONata states (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html) and the JSONata function library
 * (JSONata 2.0.6 plus the functions Step Functions adds, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html). Descriptions in our words.
 */

export interface PathDoc {
  path: string;
  doc: string;
}

/** Context object paths (`$$.…`), https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html. */
export const CONTEXT_PATHS: PathDoc[] = [
  { path: '$$.Execution.Id', doc: 'ARN of the running execution' },
  { path: '$$.Execution.Input', doc: 'the input the execution was started with' },
  { path: '$$.Execution.Name', doc: 'name of the execution' },
  { path: '$$.Execution.RoleArn', doc: 'IAM role the execution runs with' },
  { path: '$$.Execution.StartTime', doc: 'when the execution started (ISO 8601)' },
  { path: '$$.Execution.RedriveCount', doc: 'how many times the execution was redriven' },
  { path: '$$.Execution.RedriveTime', doc: 'when the execution was last redriven (only after a redrive)' },
  { path: '$$.State.Name', doc: 'name of the current state' },
  { path: '$$.State.EnteredTime', doc: 'when the current state was entered (ISO 8601)' },
  {
    path: '$$.State.RetryCount',
    doc: 'number of retries of the current state so far (Task, Map and Parallel states only)',
  },
  { path: '$$.StateMachine.Id', doc: 'ARN of the state machine' },
  { path: '$$.StateMachine.Name', doc: 'name of the state machine' },
  {
    path: '$$.Task.Token',
    doc: 'the task token; pass it to the worker of a .waitForTaskToken task, which returns it with SendTaskSuccess/SendTaskFailure',
  },
  { path: '$$.Map.Item.Index', doc: 'index of the current Map item (inside a Map only)' },
  { path: '$$.Map.Item.Key', doc: 'key of the current item when the Map iterates an object (inside a Map only)' },
  { path: '$$.Map.Item.Value', doc: 'the current Map item (inside a Map only)' },
  { path: '$$.Map.Item.Source', doc: 'where a Distributed Map item came from (inside a Map only)' },
];

/** `$states` members available in JSONata states, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html. */
export const STATES_MEMBERS: PathDoc[] = [
  { path: '$states.input', doc: 'the state input' },
  { path: '$states.result', doc: 'the result of the Task / Parallel / Map (in Output and Assign)' },
  { path: '$states.errorOutput', doc: 'the error output (in a Catch only)' },
  { path: '$states.context', doc: 'the context object' },
  ...CONTEXT_PATHS.map((c) => ({ path: c.path.replace('$$.', '$states.context.'), doc: c.doc })),
];

export interface JsonataFunction {
  name: string;
  params: string[];
  doc: string;
}

const f = (name: string, params: string[], doc: string): JsonataFunction => ({ name, params, doc });

/** The JSONata function library as Step Functions offers it (no `$eval`; plus its additions). */
export const JSONATA_FUNCTIONS: JsonataFunction[] = [
  f('string', ['value'], 'Converts a value to a string (JSON text for objects and arrays).'),
  f('length', ['str'], 'Number of characters in a string.'),
  f(
    'substring',
    ['str', 'start', 'length'],
    'Part of a string from `start` (negative counts from the end), optionally `length` long.',
  ),
  f('substringBefore', ['str', 'chars'], 'The part of a string before the first occurrence of `chars`.'),
  f('substringAfter', ['str', 'chars'], 'The part of a string after the first occurrence of `chars`.'),
  f('uppercase', ['str'], 'The string in upper case.'),
  f('lowercase', ['str'], 'The string in lower case.'),
  f('trim', ['str'], 'Removes leading/trailing whitespace and collapses inner runs to one space.'),
  f('pad', ['str', 'width', 'char'], 'Pads a string to `width` (negative pads on the left).'),
  f('contains', ['str', 'pattern'], 'Whether a string contains a substring or matches a regex.'),
  f('split', ['str', 'separator', 'limit'], 'Splits a string into an array.'),
  f('join', ['array', 'separator'], 'Joins an array of strings.'),
  f('match', ['str', 'pattern', 'limit'], 'Regex matches with groups and positions.'),
  f('replace', ['str', 'pattern', 'replacement'], 'Replaces substring or regex matches.'),
  f('base64encode', ['str'], 'Base64 of a string.'),
  f('base64decode', ['str'], 'Decodes a base64 string.'),
  f('encodeUrlComponent', ['str'], 'Percent-encodes a URL component.'),
  f('encodeUrl', ['str'], 'Percent-encodes a full URL.'),
  f('decodeUrlComponent', ['str'], 'Decodes a percent-encoded URL component.'),
  f('decodeUrl', ['str'], 'Decodes a percent-encoded URL.'),
  f('number', ['value'], 'Converts a string or boolean to a number.'),
  f('abs', ['number'], 'Absolute value.'),
  f('floor', ['number'], 'Rounds down.'),
  f('ceil', ['number'], 'Rounds up.'),
  f('round', ['number', 'precision'], 'Rounds half to even, optionally to `precision` decimals.'),
  f('power', ['base', 'exponent'], '`base` raised to `exponent`.'),
  f('sqrt', ['number'], 'Square root.'),
  f('random', ['seed'], 'A pseudo-random number in [0, 1); Step Functions accepts an optional seed.'),
  f('formatNumber', ['number', 'picture'], 'Formats a number with a decimal picture string.'),
  f('formatBase', ['number', 'radix'], 'Writes a number in another base.'),
  f('formatInteger', ['number', 'picture'], 'Formats an integer (words, roman numerals...).'),
  f('parseInteger', ['str', 'picture'], 'Parses an integer written with a picture string.'),
  f('sum', ['array'], 'Sum of an array of numbers.'),
  f('max', ['array'], 'Largest number of an array.'),
  f('min', ['array'], 'Smallest number of an array.'),
  f('average', ['array'], 'Mean of an array of numbers.'),
  f('boolean', ['value'], 'Casts a value to a boolean.'),
  f('not', ['value'], 'Logical negation.'),
  f('exists', ['value'], 'Whether the expression selects a value.'),
  f('count', ['array'], 'Number of items of an array.'),
  f('append', ['array1', 'array2'], 'Concatenates two arrays.'),
  f('sort', ['array', 'function'], 'Sorts an array, optionally with a comparator.'),
  f('reverse', ['array'], 'The array in reverse order.'),
  f('shuffle', ['array'], 'The array in random order.'),
  f('distinct', ['array'], 'The array without duplicates.'),
  f('zip', ['array1', 'array2'], 'Pairs items of several arrays by position.'),
  f('keys', ['object'], 'Keys of an object (or of every object in an array).'),
  f('lookup', ['object', 'key'], 'Value of a key of an object.'),
  f('spread', ['object'], 'Splits an object into an array of one-key objects.'),
  f('merge', ['array'], 'Merges an array of objects into one object.'),
  f('sift', ['object', 'function'], 'Keeps the key/value pairs for which the function is true.'),
  f('each', ['object', 'function'], 'Calls a function for every key/value pair and returns the results.'),
  f('error', ['message'], 'Raises an error (the state fails with States.QueryEvaluationError).'),
  f('assert', ['condition', 'message'], 'Raises an error when the condition is false.'),
  f('type', ['value'], 'Name of the type of a value.'),
  f('now', ['picture', 'timezone'], 'Current timestamp (ISO 8601 by default).'),
  f('millis', [], 'Current time in milliseconds since the epoch.'),
  f('fromMillis', ['number', 'picture', 'timezone'], 'Formats epoch milliseconds as a timestamp.'),
  f('toMillis', ['timestamp', 'picture'], 'Parses a timestamp into epoch milliseconds.'),
  f('map', ['array', 'function'], 'Applies a function to every item.'),
  f('filter', ['array', 'function'], 'Keeps the items for which the function is true.'),
  f('single', ['array', 'function'], 'The one item satisfying the function (error if not exactly one).'),
  f('reduce', ['array', 'function', 'init'], 'Folds an array into one value.'),
  // added by Step Functions (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
  f('partition', ['array', 'size'], 'Step Functions: splits an array into chunks of `size`.'),
  f('range', ['start', 'end', 'step'], 'Step Functions: an array of numbers from `start` to `end` by `step`.'),
  f('hash', ['str', 'algorithm'], 'Step Functions: hash of a string (MD5, SHA-1, SHA-256, SHA-384, SHA-512).'),
  f('uuid', [], 'Step Functions: a random version 4 UUID.'),
  f('parse', ['jsonString'], 'Step Functions: parses JSON text (use it instead of `$eval`, which is unavailable).'),
];
