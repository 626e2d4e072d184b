/** JSONata string syntax shared by every consumer; no dependencies (safe for every bundle). */

/**
 * True when `s` is a JSONata expression string: it starts with `{%` and ends with `%}`
 * exactly, with no surrounding whitespace (reference §6.4); other strings are literals.
 */
export function isJsonataExpression(s: unknown): s is string {
  return typeof s === 'string' && s.length >= 4 && s.startsWith('{%') && s.endsWith('%}');
}
