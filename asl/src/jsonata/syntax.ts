/** JSONata string syntax shared by every consumer; no dependencies (safe for every bundle). */

/**
 * True when `s` is a JSONata expression string: it starts with `{%` and ends with `%}`
 * exactly, with no surrounding whitespace (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); other strings are literals.
 */
export function isJsonataExpression(s: unknown): s is string {
  return typeof s === 'string' && s.length >= 4 && s.startsWith('{%') && s.endsWith('%}');
}
