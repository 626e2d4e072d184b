/**
 * Which Step Functions endpoint the extension's AWS commands talk to: the `aslWorkbench.aws.*`
 * settings as the options of the same resolution the CLI uses (runner/src/aws/target.ts), so
 * a command in VS Code and `asl-workbench run --aws` reach the same place. The SDK's provider
 * chain finds the credentials; nothing here reads, stores or logs them.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import * as vscode from 'vscode';
import { awsErrorText, createSfnClient, loadSharedProfiles } from '../../../runner/src/aws/client';
import { resolveAwsTarget, type AwsOptions, type AwsTarget } from '../../../runner/src/aws/target';

/** The settings section of the AWS commands. */
export const AWS_SETTINGS = 'aslWorkbench.aws';

/** The options the settings give (empty strings count as unset). */
function awsOptionsFromSettings(scope?: vscode.Uri): AwsOptions {
  const cfg = vscode.workspace.getConfiguration(AWS_SETTINGS, scope);
  const read = (key: string): string | undefined => cfg.get<string>(key)?.trim() || undefined;
  return { profile: read('profile'), region: read('region'), endpointUrl: read('endpointUrl') };
}

/** Where a target points, for messages: the endpoint override, or the region. */
export function describeTarget(t: AwsTarget): string {
  const where = t.endpointUrl ? `${t.endpointUrl} (${t.region})` : `AWS ${t.region}`;
  return t.profile ? `${where}, profile ${t.profile}` : where;
}

/**
 * A client for a document's target, or undefined after telling the user what is missing
 * (with a button to the settings). The caller destroys the client when done.
 */
export async function sfnClientFor(scope?: vscode.Uri): Promise<{ client: SFNClient; target: AwsTarget } | undefined> {
  const target = resolveAwsTarget(awsOptionsFromSettings(scope), process.env, loadSharedProfiles(process.env));
  if (target.ok) return { client: createSfnClient(target.value), target: target.value };
  await showErrorWithSettings(`Step Functions: ${target.error}.`);
  return undefined;
}

/** An error message with a button to the AWS settings. */
async function showErrorWithSettings(text: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(text, 'Open AWS Settings');
  if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', AWS_SETTINGS);
}

/**
 * Errors whose cause is a setting (credentials, profile, endpoint), by the SDK's error name or
 * the socket's error code: their message offers the AWS settings.
 */
const SETTING_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'ExpiredTokenException',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
]);

/** Shows a Step Functions error as one line, with "Open AWS Settings" when a setting is the likely cause. */
export async function showAwsError(action: string, e: unknown): Promise<void> {
  const err = e as { name?: string; code?: string } | undefined;
  const fromSetting = SETTING_ERRORS.has(err?.name ?? '') || SETTING_ERRORS.has(err?.code ?? '');
  const text = `${action}: ${awsErrorText(e)}`;
  if (fromSetting) await showErrorWithSettings(text);
  else void vscode.window.showErrorMessage(text);
}
