/**
 * ASL114: `${Name}` definition-substitution placeholders (asl/src/substitutions.ts). The rules
 * run on the definition as the deployment will see it: with the run config's substitutions
 * applied when there are any. What the rules then say about a placeholder whose value is not
 * known is premature — SAM, CloudFormation and CDK put the value in before Step Functions
 * validates the definition, and so does Terraform for a definition in a `.tf` file — so those
 * diagnostics become one Information diagnostic naming the substitution and what its value
 * must satisfy. Diagnostics about a substituted value
 * stay, pointed at the placeholder and saying which value they are about.
 */
import { placeholderNames, placeholderNodes, type Substitutions } from '../substitutions';
import type { AstNode, ParsedDocument, Severity } from '../types';
import type { AslDiagnostic, ValidateOptions } from './types';

export const PLACEHOLDER_CODE = 'ASL114';

export const PLACEHOLDER_CODES: Record<string, { severity: Severity; title: string }> = {
  [PLACEHOLDER_CODE]: { severity: 'info', title: 'Definition substitution placeholder' },
};

/** Where the substitution values come from, for messages (see ValidateOptions.substitutionsSource). */
const DEFAULT_SOURCE = 'the run config';

/** Fields whose value names the resource a Task or a Map reader/writer calls: an ARN position. */
const ARN_FIELDS = new Set(['Resource']);

function keyName(n: AstNode): string | undefined {
  const p = n.parent;
  return p?.type === 'property' && p.children?.[1] === n ? String(p.children[0]?.value ?? '') : undefined;
}

/** The holder (sorted, non-overlapping) whose range contains [offset, end], by binary search. */
function holderOf(holders: AstNode[], offset: number, end: number): AstNode | undefined {
  let lo = 0;
  let hi = holders.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const h = holders[mid];
    if (offset < h.offset) hi = mid - 1;
    else if (offset >= h.offset + h.length) lo = mid + 1;
    else return end <= h.offset + h.length ? h : undefined;
  }
  return undefined;
}

function listNames(names: string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/**
 * Settles the diagnostics of a document that holds placeholders (see the module comment).
 * `doc` is the document as written; `diags` were computed on it or on its substituted copy.
 */
export function settlePlaceholders(
  doc: ParsedDocument,
  diags: AslDiagnostic[],
  options: ValidateOptions,
): AslDiagnostic[] {
  if (!doc.text.includes('${')) return diags;
  const holders = placeholderNodes(doc.root).sort((a, b) => a.offset - b.offset);
  if (!holders.length) return diags;
  const subs: Substitutions = options.substitutions ?? {};
  const source = options.substitutionsSource ?? DEFAULT_SOURCE;
  const unknownOf = (h: AstNode) =>
    placeholderNames(h.value).filter((n) => !Object.prototype.hasOwnProperty.call(subs, n));
  const deferred = new Map<AstNode, string>();
  const out: AslDiagnostic[] = [];
  for (const d of diags) {
    const h = holderOf(holders, d.offset, d.offset + d.length);
    if (!h) {
      out.push(d);
      continue;
    }
    if (unknownOf(h).length) {
      if (!deferred.has(h)) deferred.set(h, d.message);
      continue;
    }
    // the value is known: the finding stands, about the substituted value (a fix would edit the placeholder)
    const values = placeholderNames(h.value)
      .map((n) => `${n} = ${JSON.stringify(subs[n])}`)
      .join(', ');
    out.push({
      ...d,
      offset: h.offset,
      length: h.length,
      data: undefined,
      message: `${d.message.replace(/\.$/, '')} (with ${values} from ${source}).`,
    });
  }
  for (const h of holders) {
    const names = unknownOf(h);
    if (!names.length) continue;
    const them = names.length > 1 ? 'them' : 'it';
    const shown =
      options.placeholdersFilledBy === 'terraform'
        ? `'${String(h.value)}' is set by Terraform (${names.join(', ')})`
        : `'${String(h.value)}' is a placeholder for the substitution${names.length > 1 ? 's' : ''} ${listNames(names)} (DefinitionSubstitutions in SAM and CloudFormation, definitionSubstitutions in CDK)`;
    const how =
      options.placeholdersFilledBy === 'terraform'
        ? `Give ${them} a value under "substitutions" in asl-workbench.run.json to check ${them} here.`
        : `Set ${them} under "substitutions" in asl-workbench.run.json to check ${them} here.`;
    const message = deferred.get(h);
    const expects =
      message !== undefined
        ? `; the value must satisfy: ${message}`
        : ARN_FIELDS.has(keyName(h) ?? '')
          ? ': a Lambda function ARN, an activity ARN or an integration resource (arn:aws:states:::<service>:<action>).'
          : undefined;
    if (expects === undefined) continue;
    out.push({
      code: PLACEHOLDER_CODE,
      severity: 'info',
      offset: h.offset,
      length: h.length,
      message: `${shown}${expects} ${how}`,
    });
  }
  return out;
}
