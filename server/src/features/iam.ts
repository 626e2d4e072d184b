/**
 * IAM surfaces (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html): a code lens on each ECS/EKS Task listing the IAM actions it
 * needs (runJob/call: the Kubernetes RBAC note instead), and the `aslWorkbench/iamPolicy`
 * request answering the policy JSON for a machine or one state, with region/account from
 * the settings (placeholders otherwise).
 */
import type { CodeLens } from 'vscode-languageserver/node';
import {
  kubernetesRbacNote,
  iamActionsForState,
  inferredStatementsNote,
  policyForMachine,
  policyForState,
  policyNotes,
  type IamPolicy,
} from '../../../asl/src/iam';
import type { MachineModel, ParsedDocument } from '../../../asl/src/types';
import { IamPolicyRequest, SHOW_STATE_IAM_POLICY_COMMAND, type IamPolicyResult } from '../protocol';
import { guard } from '../safe';
import type { ServerSettings } from '../settings';
import type { FeatureContext } from './index';
import { iamSettings, isEcsEksTask } from './shared/resourceDoc';

/** One code lens per ECS/EKS Task state, on its name. */
export function iamCodeLenses(doc: ParsedDocument, model: MachineModel, uri: string): CodeLens[] {
  const out: CodeLens[] = [];
  for (const s of model.states) {
    if (!isEcsEksTask(s)) continue;
    const range = doc.rangeOf(s.keyNode.offset, s.keyNode.length);
    const command = { command: SHOW_STATE_IAM_POLICY_COMMAND, arguments: [uri, s.name] };
    if (kubernetesRbacNote(s)) {
      out.push({
        range,
        command: { ...command, title: 'IAM: none — Kubernetes RBAC: map the role (access entry / aws-auth)' },
      });
      continue;
    }
    const actions = iamActionsForState(s);
    if (!actions.length) continue;
    const shown = actions.length > 4 ? `${actions.slice(0, 4).join(', ')} +${actions.length - 4}` : actions.join(', ');
    out.push({ range, command: { ...command, title: `IAM: ${shown}` } });
  }
  return out;
}

/** The policy result for a whole machine or one state. */
export function iamPolicyResult(
  model: MachineModel,
  settings: ServerSettings,
  stateName?: string,
): IamPolicyResult | null {
  const ctx = iamSettings(settings);
  let policy: IamPolicy;
  let notes = policyNotes(model);
  if (stateName !== undefined) {
    const s = model.states.find((x) => x.name === stateName);
    if (!s) return null;
    policy = policyForState(s, ctx);
    notes = notes.filter((n) => n.states.includes(stateName)).map((n) => ({ ...n, states: [stateName] }));
  } else policy = policyForMachine(model, ctx);
  const inferred = inferredStatementsNote(policy.Statement);
  if (inferred) notes = [{ key: 'iam', states: [], note: inferred }, ...notes];
  return {
    policy,
    json: JSON.stringify(policy, null, 2) + '\n',
    notes,
    region: settings.iam.region,
    account: settings.iam.account,
  };
}

/** Registers the IAM code lenses and the iamPolicy request. */
export function iam(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.codeLensProvider = { resolveProvider: false };
  connection.onCodeLens(
    guard(connection, 'codeLens', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      return e ? iamCodeLenses(e.doc, e.model, p.textDocument.uri) : [];
    }),
  );
  connection.onRequest(
    IamPolicyRequest,
    guard(connection, 'iamPolicy', null, (p) => {
      const e = documents.get(p.uri);
      return e ? iamPolicyResult(e.model, ctx.settings(), p.state) : null;
    }),
  );
  // settings change region/account in the lenses' policies
  ctx.onSettingsChanged(() => {
    connection.sendRequest('workspace/codeLens/refresh').catch(() => {
      /* client without refresh support */
    });
  });
}
