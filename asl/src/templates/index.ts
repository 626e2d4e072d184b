/**
 * State machines inside infrastructure code (see types.ts): which files may hold them, and
 * finding them.
 */
import { findCloudFormationMachines } from './cloudformation';
import { findTerraformMachines } from './terraform';
import type { EmbeddedMachine, ReadFile } from './types';

export * from './types';
export { PSEUDO_PARAMETERS, PSEUDO_PARAMETER_STAND_INS } from './cloudformation';
export { iamModelOf } from './iam';
export { analyzeMachine, filterPlaceholderNotes, machineOptions, type MachineAnalysis } from './analyze';
export { chooseMachine, missingPlaceholders, resolveSubstitutions } from './choose';

const TEMPLATE_FILE = /\.(ya?ml|json|template)$/i;
const STATE_MACHINE_TYPE = /AWS::(StepFunctions|Serverless)::StateMachine/;

/** Whether a file could hold a state machine at all (by its name and a cheap look at the text). */
export function mayHoldMachines(fileName: string, hostText: string): boolean {
  if (/\.tf$/i.test(fileName)) return hostText.includes('aws_sfn_state_machine');
  return TEMPLATE_FILE.test(fileName) && STATE_MACHINE_TYPE.test(hostText);
}

/** Every state machine in a host file; [] when it holds none. Never throws. */
export function findMachines(hostText: string, fileName: string, readFile?: ReadFile): EmbeddedMachine[] {
  if (!mayHoldMachines(fileName, hostText)) return [];
  try {
    if (/\.tf$/i.test(fileName)) return findTerraformMachines(hostText, fileName, readFile);
    return findCloudFormationMachines(hostText, fileName, readFile);
  } catch {
    return [];
  }
}
