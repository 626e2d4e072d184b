/** nextToken and maxResults of the list operations of the `serve` service. */
import { ApiError } from './server';

/** The nextToken of a page: where the next page starts, for the same request (`scope`) only. */
export function pageToken(scope: unknown[], position: number): string {
  return Buffer.from(JSON.stringify([...scope, position])).toString('base64url');
}

/**
 * The position a nextToken stands for, at most `max`; a token this service did not hand out
 * for the same request is InvalidToken.
 */
export function pagePosition(token: unknown, scope: unknown[], max: number, what: string): number {
  let v: unknown;
  try {
    v =
      typeof token === 'string' && token.length <= 2048
        ? JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
        : undefined;
  } catch {
    v = undefined;
  }
  if (Array.isArray(v) && v.length === scope.length + 1 && scope.every((x, i) => v[i] === x)) {
    const position: unknown = v[scope.length];
    if (typeof position === 'number' && Number.isInteger(position) && position > 0 && position <= max) return position;
  }
  throw new ApiError('InvalidToken', `Invalid Token: '${String(token).slice(0, 64)}' is not a nextToken of ${what}`);
}

/** A request's maxResults: 1 to 1000, else the default. */
export function pageSize(b: Record<string, unknown>, fallback: number): number {
  return typeof b.maxResults === 'number' && b.maxResults > 0 ? Math.min(b.maxResults, 1000) : fallback;
}
