/**
 * Pure helpers of the Run Locally input picker (no vscode): the machine name the runner and
 * the mock config use, and the JSON files next to a machine that can be inputs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RUN_CONFIG_NAME } from '../../../asl/src/runConfig';
import { MOCK_CONFIG_NAME } from '../../../runner/src/config';

/** JSON files next to the machine that can be inputs (not configs, task definitions or machines). */
export function inputFilesNextTo(machineFile: string): string[] {
  const dir = path.dirname(machineFile);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json') && !n.endsWith('.asl.json') && !n.endsWith('.task-definition.json'))
    .filter((n) => n !== RUN_CONFIG_NAME && n !== MOCK_CONFIG_NAME && n !== 'package.json' && !n.startsWith('tsconfig'))
    .sort((a, b) => (a === 'input.json' ? -1 : b === 'input.json' ? 1 : a.localeCompare(b)))
    .map((n) => path.join(dir, n));
}
