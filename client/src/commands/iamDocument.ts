/**
 * The text and names of the IAM policy document (one per machine, or per machine and state):
 * the policy as JSON, with the notes that no IAM statement can carry (Kubernetes RBAC for
 * eks:runJob/eks:call, roles to pass) as `//` comments above it. Pure (no vscode), unit-tested.
 */
import type { IamPolicyResult } from '../../../server/src/protocol';

/** Extensions of a machine file that the IAM file name drops (`report.asl.yaml` → `report`). */
const MACHINE_SUFFIX = /(\.asl)?\.(json|ya?ml)$|\.asl$/i;

/** The file a machine's policy is saved as: `report.asl.json` → `report.iam.json`. */
export function iamFileName(machineFile: string): string {
  const base = machineFile.replace(MACHINE_SUFFIX, '') || 'state-machine';
  return `${base}.iam.json`;
}

/** The document's name: the file name, with the state for a single state's policy. */
export function iamDocumentName(machineFile: string, state?: string): string {
  const file = iamFileName(machineFile);
  return state ? file.replace(/\.iam\.json$/, ` (${state.replace(/[/\\]/g, '-')}).iam.json`) : file;
}

const comment = (text: string): string[] => text.split('\n').map((l) => (l ? `// ${l}` : '//'));

/**
 * The document text (JSON with comments): a header naming the machine (and state), the notes,
 * then the policy exactly as the server generated it.
 */
export function iamDocumentText(result: IamPolicyResult, machineFile: string, state?: string): string {
  const lines = [
    `// IAM policy for the role of ${machineFile}${state ? `, state '${state}'` : ''}`,
    `// Region ${result.region || '${Region}'}, account ${result.account || '${AccountId}'}: settings aslWorkbench.iam.*`,
    `// The Save button above writes the policy alone (no comments) to ${iamFileName(machineFile)}`,
  ];
  for (const n of result.notes) {
    lines.push(
      '//',
      ...comment(`note (${n.key}${n.states.length ? `: ${n.states.join(', ')}` : ''}):`),
      ...comment(n.note),
    );
  }
  return `${lines.join('\n')}\n${policyText(result)}`;
}

/** The policy alone, as saved to `<machine>.iam.json`. */
export function policyText(result: IamPolicyResult): string {
  return result.json.endsWith('\n') ? result.json : `${result.json}\n`;
}
