/**
 * Which generated IAM statements AWS documents and which are asl-workbench's inference. Users
 * copy the policy verbatim, so the distinction travels inside it: every statement gets a `Sid`
 * that starts with one of the prefixes below (IAM allows only letters and digits in a Sid, and
 * Sids must be unique within a policy, hence the number suffix).
 */
import type { IamStatement } from '../types';

/** Sid prefix of statements that appear in the policy templates AWS publishes for the integration. */
export const DOCUMENTED_SID_PREFIX = 'DocumentedByAws';
/** Sid prefix of statements AWS publishes no template for: our suggestion, to be reviewed. */
export const INFERRED_SID_PREFIX = 'Inferred';

/** The AWS pages whose policy templates the documented statements follow. */
export const AWS_IAM_TEMPLATE_PAGES = [
  'https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html',
  'https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html',
];

/** Marks a statement as inferred (no AWS template shows it). */
export function inferred(statement: IamStatement): IamStatement {
  return { ...statement, Sid: INFERRED_SID_PREFIX };
}

/** True for a statement marked by `inferred` or numbered with the inferred prefix. */
export function isInferred(statement: IamStatement): boolean {
  return statement.Sid?.startsWith(INFERRED_SID_PREFIX) ?? false;
}

/**
 * The line that goes with a policy holding inferred statements (CLI, editor notes, hover);
 * undefined when every statement is documented.
 */
export function inferredStatementsNote(statements: readonly IamStatement[]): string | undefined {
  const list = statements.filter(isInferred).map((s) => `${s.Sid ?? INFERRED_SID_PREFIX} (${s.Action.join(', ')})`);
  if (!list.length) return undefined;
  return (
    `Inferred, not documented by AWS: ${list.join('; ')}. AWS publishes no policy template with ` +
    `these statements; asl-workbench suggests them, so review them before use. Statements whose ` +
    `Sid starts with ${DOCUMENTED_SID_PREFIX} follow AWS's templates (${AWS_IAM_TEMPLATE_PAGES.join(', ')}).`
  );
}
