/**
 * Debug Locally: the `asl` debug configuration provider (package.json registers the adapter,
 * dist/debugAdapter.js), the `aslWorkbench.debugLocally` command (editor title, code lens,
 * palette; on a machine file, a template's machine uri, or a template) and the graph
 * preview's paused-state marks. Registered from extension.ts with one call.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { GraphPreview } from '../graph/index';
import { commandMachine } from '../templates';
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

/** Starts a debug session of a machine (a template's: the one its uri names, or picked); resolves to whether one started. */
async function debugLocally(client: LanguageClient, arg?: DebugArgs | vscode.Uri): Promise<boolean> {
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
  const machine = await commandMachine(client, uri, 'Debug Locally', 'debug it');
  if (!machine) return false;
  const file = machine.document.uri;
  const id = machine.template?.info.id;
  return vscode.debug.startDebugging(
    vscode.workspace.getWorkspaceFolder(file),
    launchConfigFor(file, id !== undefined ? { ...extra, machine: id } : extra),
  );
}

/** Registers the provider, the command and the graph marks. */
export function registerDebugLocally(
  context: vscode.ExtensionContext,
  graph: GraphPreview,
  client: LanguageClient,
): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new AslDebugConfigurationProvider(context.workspaceState, client),
    ),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: openMachineConfigurations },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.commands.registerCommand(DEBUG_COMMAND, (arg?: DebugArgs | vscode.Uri) => debugLocally(client, arg)),
    trackPausedStates(graph),
  );
}
