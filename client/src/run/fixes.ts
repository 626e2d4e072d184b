/**
 * "When something is missing": turns the run problem the runner named (problems.ts) into a
 * message with actions — open the settings, retry, use the mock config, map the TaskDefinition
 * in the run config, run Jobs on containers or choose a kube context, locate kind, open the
 * mock config. Each action resolves to what the caller should do next.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { findRunConfig, RUN_CONFIG_NAME } from '../../../asl/src/runConfig';
import { kubeContextNames, type FoundProblem } from './problems';
import { mockTestCases } from './prepare';
import {
  emptyRunConfig,
  relativeRef,
  taskDefinitionTemplate,
  withClusterOnContainers,
  withKubeContext,
  withTaskDefinition,
} from './runConfigEdit';

/** What to do after the user picked an action. */
export type FixOutcome = { next: 'retry' } | { next: 'retryWithMock'; testCase: string } | { next: 'none' };

/** The run config file a fix writes: the existing one that applies, else one next to the machine. */
function runConfigPath(machineFile: string): string {
  return findRunConfig(machineFile, { fs, path }) ?? path.join(path.dirname(machineFile), RUN_CONFIG_NAME);
}

async function editRunConfig(machineFile: string, edit: (text: string) => string): Promise<string> {
  const file = runConfigPath(machineFile);
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : emptyRunConfig();
  fs.writeFileSync(file, edit(before));
  return file;
}

async function offerRetry(message: string): Promise<FixOutcome> {
  const again = await vscode.window.showInformationMessage(message, 'Run Again');
  return again ? { next: 'retry' } : { next: 'none' };
}

/** JSON files under the machine's folder and the workspace that look like ECS task definitions. */
async function taskDefinitionFiles(machineFile: string): Promise<string[]> {
  const found = await vscode.workspace.findFiles('**/*.json', '**/node_modules/**', 200);
  const near = fs.readdirSync(path.dirname(machineFile)).map((n) => path.join(path.dirname(machineFile), n));
  const all = new Set([...near.filter((f) => f.endsWith('.json')), ...found.map((u) => u.fsPath)]);
  return [...all].filter((f) => {
    try {
      const text = fs.readFileSync(f, 'utf8');
      return text.length < 512_000 && text.includes('containerDefinitions');
    } catch {
      return false;
    }
  });
}

async function mapTaskDefinition(machineFile: string, ref: string): Promise<FixOutcome> {
  const files = await taskDefinitionFiles(machineFile);
  const configFile = runConfigPath(machineFile);
  const items: (vscode.QuickPickItem & { file?: string; create?: boolean })[] = [
    ...files.map((f) => ({
      label: `$(file) ${path.basename(f)}`,
      description: vscode.workspace.asRelativePath(f),
      file: f,
    })),
    {
      label: '$(new-file) Create a task definition file…',
      description: `${ref}.task-definition.json next to the state machine`,
      create: true,
    },
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: `Map TaskDefinition "${ref}"`,
    placeHolder: `Which ECS task definition runs locally for "${ref}"? (written to ${path.basename(configFile)})`,
  });
  if (!chosen) return { next: 'none' };
  let file = chosen.file;
  if (chosen.create) {
    const image = await vscode.window.showInputBox({
      title: 'Container image of the new task definition',
      value: 'asl-workbench/busybox:latest',
    });
    if (!image) return { next: 'none' };
    const safe = ref.replace(/^arn:[^/]*\//, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
    file = path.join(path.dirname(machineFile), `${safe}.task-definition.json`);
    if (!fs.existsSync(file))
      fs.writeFileSync(file, JSON.stringify(taskDefinitionTemplate(ref, image), null, 2) + '\n');
    await vscode.window.showTextDocument(vscode.Uri.file(file), {
      preview: false,
      preserveFocus: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  }
  const written = await editRunConfig(machineFile, (t) =>
    withTaskDefinition(t, ref, relativeRef(path.dirname(configFile), file!)),
  );
  return offerRetry(
    `Mapped "${ref}" to ${vscode.workspace.asRelativePath(file!)} in ${vscode.workspace.asRelativePath(written)}.`,
  );
}

/** Context names of a kubeconfig (KUBECONFIG's first file, the setting, or ~/.kube/config). */
function kubeContexts(): string[] {
  const setting = vscode.workspace.getConfiguration('aslWorkbench').get<string>('kubernetes.kubeconfig');
  const file =
    setting || process.env.KUBECONFIG?.split(path.delimiter)[0] || path.join(os.homedir(), '.kube', 'config');
  try {
    return kubeContextNames(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

async function fixNoCluster(
  machineFile: string,
  problem: Extract<FoundProblem, { kind: 'noCluster' }>,
  clusters: string[],
): Promise<FixOutcome> {
  const choice = await vscode.window.showErrorMessage(
    `No Kubernetes cluster is reachable: ${problem.message}`,
    'Run Jobs on Containers',
    'Choose a Context…',
  );
  if (choice === 'Run Jobs on Containers') {
    const names = problem.clusterName ? [problem.clusterName] : clusters;
    const name =
      names.length === 1
        ? names[0]
        : await vscode.window.showQuickPick(names, {
            placeHolder: 'Which EKS ClusterName should run its Jobs as containers?',
          });
    if (!name) return { next: 'none' };
    const written = await editRunConfig(machineFile, (t) => withClusterOnContainers(t, name));
    return offerRetry(
      `Jobs of ${name} now run as containers (Job semantics on the container engine); set in ${vscode.workspace.asRelativePath(written)}.`,
    );
  }
  if (choice === 'Choose a Context…') {
    const contexts = kubeContexts();
    if (!contexts.length) {
      void vscode.window.showWarningMessage(
        'No contexts were found in the kubeconfig (aslWorkbench.kubernetes.kubeconfig, KUBECONFIG or ~/.kube/config).',
      );
      return { next: 'none' };
    }
    const ctx = await vscode.window.showQuickPick(contexts, { placeHolder: 'kubeconfig context for local runs' });
    if (!ctx) return { next: 'none' };
    const written = await editRunConfig(machineFile, (t) => withKubeContext(t, ctx));
    return offerRetry(
      `Local runs of this machine use the context ${ctx} (${vscode.workspace.asRelativePath(written)}).`,
    );
  }
  return { next: 'none' };
}

async function fixKind(): Promise<FixOutcome> {
  const choice = await vscode.window.showErrorMessage(
    'The kind CLI was not found; it creates local clusters for eks:createCluster.',
    'Locate kind…',
    'Open Settings',
  );
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'aslWorkbench.kind.path');
    return { next: 'none' };
  }
  if (choice !== 'Locate kind…') return { next: 'none' };
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Use this kind',
    title: 'The kind executable',
  });
  if (!picked?.[0]) return { next: 'none' };
  // machine-scoped setting: it names a program, so it goes to the user settings only
  await vscode.workspace
    .getConfiguration('aslWorkbench')
    .update('kind.path', picked[0].fsPath, vscode.ConfigurationTarget.Global);
  return offerRetry(`aslWorkbench.kind.path is now ${picked[0].fsPath}.`);
}

/** Shows the problem with its actions; resolves to the next step. */
export async function offerFix(machineFile: string, problem: FoundProblem, clusters: string[]): Promise<FixOutcome> {
  switch (problem.kind) {
    case 'engineUnavailable': {
      const mocks = mockTestCases(machineFile);
      const actions = ['Open Settings', 'Retry', ...(mocks?.cases.length ? ['Use Mock Config'] : [])];
      const choice = await vscode.window.showErrorMessage(
        `No container engine is reachable: ${problem.message}`,
        ...actions,
      );
      if (choice === 'Retry') return { next: 'retry' };
      if (choice === 'Open Settings')
        await vscode.commands.executeCommand('workbench.action.openSettings', 'aslWorkbench.containerEngine');
      if (choice === 'Use Mock Config' && mocks) {
        const testCase =
          mocks.cases.length === 1
            ? mocks.cases[0]
            : await vscode.window.showQuickPick(mocks.cases, { placeHolder: 'Mock test case' });
        if (testCase) return { next: 'retryWithMock', testCase };
      }
      return { next: 'none' };
    }
    case 'taskDefinitionNotMapped': {
      const choice = await vscode.window.showErrorMessage(
        `TaskDefinition "${problem.taskDefinition}" is not mapped to a local task definition.`,
        'Map It…',
      );
      return choice ? mapTaskDefinition(machineFile, problem.taskDefinition) : { next: 'none' };
    }
    case 'noCluster':
      return fixNoCluster(machineFile, problem, clusters);
    case 'kindMissing':
      return fixKind();
    case 'noDriver': {
      const mocks = mockTestCases(machineFile);
      const choice = await vscode.window.showErrorMessage(
        problem.message.split('\n')[0] ?? 'A task has no local driver.',
        ...(mocks?.cases.length ? ['Use Mock Config'] : []),
      );
      if (choice && mocks?.cases[0]) return { next: 'retryWithMock', testCase: mocks.cases[0] };
      return { next: 'none' };
    }
    case 'mockMissing': {
      const mocks = mockTestCases(machineFile);
      const choice = await vscode.window.showErrorMessage(problem.message, ...(mocks ? ['Open Mock Config'] : []));
      if (choice && mocks) await vscode.window.showTextDocument(vscode.Uri.file(mocks.file), { preview: false });
      return { next: 'none' };
    }
  }
}
