/** Client side of the IAM policy custom request (declared in server/src/protocol.ts). */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** Asks the server for the whole machine's IAM policy document. */
export async function requestIamPolicy(client: LanguageClient, uri: vscode.Uri): Promise<unknown> {
  await client.start(); // no-op when running; waits while starting
  // TODO(lead): switch to the protocol.ts RequestType once the language-features engineer lands it
  return client.sendRequest('aslWorkbench/iamPolicy', { textDocument: { uri: uri.toString() } });
}
