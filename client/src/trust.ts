/**
 * Workspace trust gate (package.json `capabilities.untrustedWorkspaces: limited`): editing
 * features work everywhere; anything that starts a process asks for trust first.
 */
import * as vscode from 'vscode';

/** True when the workspace is trusted (or has no trust concept, e.g. an empty window). */
export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** Why `action` does not run in an untrusted workspace. */
export function untrustedMessage(action: string): string {
  return `${action} is disabled in an untrusted workspace: it starts containers and other processes. Editing features keep working.`;
}

/**
 * Returns true when `action` may start processes; otherwise explains why not and offers to
 * manage workspace trust. Use it at the start of every process-starting command.
 */
export async function requireTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(untrustedMessage(action), 'Manage Workspace Trust');
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
