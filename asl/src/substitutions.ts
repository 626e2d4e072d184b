/**
 * Definition substitutions: `${Name}` placeholders in a standalone definition file that the
 * deployment replaces before Step Functions sees the text — CloudFormation and SAM
 * `DefinitionSubstitutions` (with `DefinitionUri` / `DefinitionS3Location`), CDK
 * `definitionSubstitutions`, Terraform `templatefile`. Until the value is known, a placeholder
 * says nothing about the type of the value; with a value (from the local run config) the
 * definition is checked and run as if substituted.
 *
 * Pure: works on the positioned tree.
 */
import type { AstNode, ParsedDocument } from './types';

/** A substitution value as a run config holds it. */
export type SubstitutionValue = string | number | boolean;
export type Substitutions = Readonly<Record<string, SubstitutionValue>>;

/** One `${Name}`; the name is anything up to `}` without `$`, braces or white space. */
const PLACEHOLDER = /\$\{([^${}\s]+)\}/g;
const WHOLE = /^\$\{([^${}\s]+)\}$/;

/** The name of a value that is exactly one placeholder (`"${Timeout}"` -> `Timeout`). */
function wholePlaceholder(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = WHOLE.exec(value);
  return m ? m[1] : undefined;
}

/** Names of the placeholders in a string, in order of appearance (repeats kept once). */
export function placeholderNames(value: unknown): string[] {
  if (typeof value !== 'string' || !value.includes('${')) return [];
  return [...new Set([...value.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

function known(subs: Substitutions, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(subs, name);
}

/**
 * The value a string takes once substituted. A string that is exactly one placeholder takes
 * the value with its own type (a number stays a number); placeholders inside a longer string
 * are replaced by the value's text. Names without a value are left as they are.
 */
function substituteString(value: string, subs: Substitutions): SubstitutionValue {
  const whole = wholePlaceholder(value);
  if (whole !== undefined) return known(subs, whole) ? subs[whole] : value;
  return value.replace(PLACEHOLDER, (m, name: string) => (known(subs, name) ? String(subs[name]) : m));
}

/** True for a string value node (not a property key). */
function isValueString(n: AstNode): boolean {
  if (n.type !== 'string') return false;
  const p = n.parent;
  return !(p?.type === 'property' && p.children?.[0] === n);
}

/** String value nodes that hold at least one placeholder, in document order. */
export function placeholderNodes(root: AstNode | undefined): AstNode[] {
  const out: AstNode[] = [];
  if (!root) return out;
  const stack: AstNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (isValueString(n)) {
      if (typeof n.value === 'string' && n.value.includes('${') && placeholderNames(n.value).length) out.push(n);
      continue;
    }
    const c = n.children;
    if (c) for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
  return out;
}

const NODE_TYPE = { string: 'string', number: 'number', boolean: 'boolean' } as const;

/**
 * A copy of the document whose placeholder values with a known substitution are replaced
 * (type and value; offsets unchanged, so every range still points at the placeholder in the
 * text). Undefined when nothing is replaced.
 */
export function substituteDocument(doc: ParsedDocument, subs: Substitutions | undefined): ParsedDocument | undefined {
  if (!subs || !doc.root || !Object.keys(subs).length || !doc.text.includes('${')) return undefined;
  const targets = new Set(
    placeholderNodes(doc.root).filter((n) => placeholderNames(n.value).some((p) => known(subs, p))),
  );
  if (!targets.size) return undefined;
  const root: AstNode = { ...doc.root, parent: undefined };
  // iterative: a deeply nested document must not exhaust the call stack
  const stack: [AstNode, AstNode][] = [[doc.root, root]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    if (targets.has(from)) {
      const v = substituteString(String(from.value), subs);
      to.type = NODE_TYPE[typeof v as keyof typeof NODE_TYPE];
      to.value = v;
    }
    if (!from.children) continue;
    to.children = from.children.map((c) => {
      const child: AstNode = { ...c, parent: to };
      stack.push([c, child]);
      return child;
    });
  }
  return { ...doc, root };
}
