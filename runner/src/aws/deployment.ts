/**
 * What a deployment sends and under which name: shared by the CLI's `deploy` / `run --aws` and
 * the extension's Deploy to AWS, so a file gets the same state machine name and the same
 * definition text from both.
 */
import { parseDocument } from '../../../asl/src/parse/index';
import { nodeValue } from '../../../asl/src/parse/tree';
import { substituteDocument, type Substitutions } from '../../../asl/src/substitutions';
import type { DocumentFormat, ParsedDocument } from '../../../asl/src/types';
import { loadRunConfig, stateMachineNameOf } from '../config';

/**
 * The state machine name a deployment of `file` gets: the given name, else the run config's
 * `execution.stateMachineName`, else the template's logical id, else the file base name.
 */
export function deployedName(
  file: string,
  o: { name?: string; config?: string },
  embedded: { id: string } | undefined,
): string {
  if (o.name) return o.name;
  const cfg = loadRunConfig(file, o.config);
  return stateMachineNameOf(file, cfg.ok ? cfg.value : undefined, undefined, embedded?.id);
}

/** The definition JSON Step Functions receives: placeholders replaced by their resolved values. */
export function definitionJson(doc: ParsedDocument, values: Substitutions | undefined): string {
  const substituted = substituteDocument(doc, values) ?? doc;
  return JSON.stringify(nodeValue(substituted.root), null, 2);
}

/** The definition JSON of a machine's text (JSON or YAML) with its placeholders' values. */
export function deployedDefinition(text: string, format: DocumentFormat, values: Substitutions | undefined): string {
  return definitionJson(parseDocument(text, format), values);
}

/** Why a state machine name cannot be used, or undefined: https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html */
export function stateMachineNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 80) return 'A state machine name has 1 to 80 characters.';
  // white space, brackets, wildcards, the listed punctuation and control characters
  if (/[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name))
    return 'A state machine name cannot contain white space, brackets, wildcards or any of " # % \\ ^ | ~ ` $ & , ; : /';
  return undefined;
}

/** Why a text is not an IAM role ARN, or undefined: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html */
export function roleArnProblem(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(arn)
    ? undefined
    : 'An IAM role ARN reads arn:aws:iam::<12-digit account>:role/<name>.';
}

/** Why an alias name cannot be used, or undefined: https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachineAlias.html */
export function aliasNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 80) return 'An alias name has 1 to 80 characters.';
  if (!/^[\w.-]+$/.test(name)) return 'An alias name has letters, digits, -, _ and . only.';
  if (/^\d+$/.test(name)) return 'An alias name cannot be only digits (that is a version number).';
  return undefined;
}
