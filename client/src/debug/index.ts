/**
 * Debug Locally: the `asl` debug configuration provider (package.json registers the adapter,
 * dist/debugAdapter.js), the `aslWorkbench.debugLocally` command (editor title, code lens,
 * palette) and the graph preview's paused-state marks. Registered from extension.ts with one call.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { GraphPreview } from '../graph/index';
import { isMachine } from '../run/index';
import { requireTrust } from '../trust';
import { AslDebugConfigurationProvider, DEBUG_TYPE, launchConfigFor, openMachineConfigurations } from './config';
import { trackPausedStates } from './pausedStates';
import type { AslLaunchArguments } from '../../../runner/src/debug/launchArgs';

import { DEBUG_COMMAND } from '../run/codeLens';

/**
 * Argument of `aslWorkbench.debugLocally` besides a Uri: launch arguments used as they are
 * (what is given is not asked for; `testCase: null` runs the tasks for real).
 */
export type DebugArgs = { uri: vscode.Uri | string } & Partial<Omit<AslLaunchArguments, 'program'>>;

/** Starts a debug session of a machine; resolves to whether one started. */
async function debugLocally(arg?: DebugArgs | vscode.Uri): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void requireTrust('Debug Locally'); // not awaited: the message must not block the caller
    return false;
  }
  const { uri: given, ...extra } = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
  const uri = given
    ? typeof given === 'string'
      ? vscode.Uri.parse(given)
      : given
    : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showInformationMessage(
      'Open a state machine file (.asl.json or .asl.yaml) on disk to debug it.',
    );
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!isMachine(doc)) {
    void vscode.window.showInformationMessage(`${path.basename(uri.fsPath)} is not a state machine file.`);
    return false;
  }
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), launchConfigFor(uri, extra));
}

/** Registers the provider, the command and the graph marks. */
export function registerDebugLocally(context: vscode.ExtensionContext, graph: GraphPreview): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new AslDebugConfigurationProvider(context.workspaceState),
    ),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: openMachineConfigurations },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.commands.registerCommand(DEBUG_COMMAND, debugLocally),
    trackPausedStates(graph),
  );
}
