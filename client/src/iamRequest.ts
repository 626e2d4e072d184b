/** Client side of the IAM policy custom request (declared in server/src/protocol.ts). */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IamPolicyRequest, type IamPolicyResult } from '../../server/src/protocol';
import { requestTarget } from './templates';

/**
 * Asks the server for the IAM policy of a whole machine, or of one state when `state` is given;
 * `uri` is a machine file or a template's machine uri.
 */
export async function requestIamPolicy(
  client: LanguageClient,
  uri: vscode.Uri,
  state?: string,
): Promise<IamPolicyResult | null> {
  await client.start(); // resolves at once when running; waits while the server is starting
  return client.sendRequest(IamPolicyRequest, { ...requestTarget(uri), ...(state ? { state } : {}) });
}
