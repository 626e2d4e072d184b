/**
 * Deploy to AWS (`aslWorkbench.deployToAws`: editor title, palette, code lens): creates or
 * updates the state machine of the open file, or of a template's machine with its
 * substitutions resolved as Run Locally resolves them, after local validation, with the name
 * the CLI's `deploy` gives it and a role chosen or typed, once the user has seen the IAM policy
 * that role needs. Remembers which state machine each document was deployed as, for Start on
 * AWS. Refused in an untrusted workspace.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { formatOf } from '../../../asl/src/parse/format';
import { GENERATE_IAM_POLICY_COMMAND } from '../../../server/src/protocol';
import { awsErrorText, deployStateMachine, type DeployResult } from '../../../runner/src/aws/client';
import {
  aliasNameProblem,
  deployedDefinition,
  deployedName,
  roleArnProblem,
  stateMachineNameProblem,
} from '../../../runner/src/aws/deployment';
import { requestIamPolicy } from '../iamRequest';
import { DEPLOY_COMMAND, START_ON_AWS_COMMAND } from '../run/codeLens';
import type { RunController } from '../run/controller';
import { invalidMachineDetail } from '../run/format';
import { machineTypeFor, runConfigFor } from '../run/prepare';
import { commandArgs, commandMachine, machineErrors, runSubstitutions } from '../templates';
import { requireTrust } from '../trust';
import { registerCompareRuns } from './compare';
import { AWS_SETTINGS, describeTarget, sfnClientFor } from './settings';

/** workspaceState: Record<document or machine uri, DeployedMachine>. */
const DEPLOYED_KEY = 'aslWorkbench.aws.deployed';
/** globalState: the role ARNs used last, newest first (ARNs only). */
const RECENT_ROLES_KEY = 'aslWorkbench.aws.recentRoleArns';
const RECENT_ROLES = 5;
/** How long Deploy waits for the language server to check a document it has not checked yet. */
const DIAGNOSTICS_DEADLINE_MS = 15_000;

const DEPLOY = 'Deploy';
const DEPLOY_AND_PUBLISH = 'Deploy and Publish Version…';
const START_EXECUTION = 'Start Execution';
const COPY_ARN = 'Copy ARN';

/** The state machine a document was last deployed as. */
export interface DeployedMachine {
  stateMachineArn: string;
  name: string;
}

/** The state machine `uri` (a machine file, or a template's machine uri) was last deployed as from this workspace. */
export function deployedMachineOf(context: vscode.ExtensionContext, uri: vscode.Uri): DeployedMachine | undefined {
  return context.workspaceState.get<Record<string, DeployedMachine>>(DEPLOYED_KEY, {})[uri.toString()];
}

async function rememberDeployed(context: vscode.ExtensionContext, uri: vscode.Uri, m: DeployedMachine): Promise<void> {
  const all = context.workspaceState.get<Record<string, DeployedMachine>>(DEPLOYED_KEY, {});
  await context.workspaceState.update(DEPLOYED_KEY, { ...all, [uri.toString()]: m });
}

/**
 * Argument of the command besides a Uri: what is given is not asked (tests and other
 * extensions deploy without questions; the trust check still applies).
 */
export interface DeployArgs {
  /** the machine file, or a template's machine uri */
  uri: vscode.Uri | string;
  name?: string;
  roleArn?: string;
  /** publish a version (with this description) */
  publish?: boolean;
  versionDescription?: string;
  /** point this alias at the published version */
  alias?: string;
}

/** What the command returns (plain JSON, so it survives command-argument serialization). */
export interface DeployOutcome {
  name: string;
  stateMachineArn: string;
  action: DeployResult['action'];
  versionArn?: string;
  aliasArn?: string;
}

type RoleItem = vscode.QuickPickItem & { arn?: string };

/** The role ARN: the setting, recent ones, or typed (validated); undefined when cancelled. */
async function pickRole(context: vscode.ExtensionContext, scope: vscode.Uri): Promise<string | undefined> {
  const configured = vscode.workspace.getConfiguration(AWS_SETTINGS, scope).get<string>('roleArn')?.trim();
  const recent = context.globalState.get<string[]>(RECENT_ROLES_KEY, []).filter((a) => a !== configured);
  const items: RoleItem[] = [];
  if (configured) items.push({ label: configured, description: `setting ${AWS_SETTINGS}.roleArn`, arn: configured });
  if (recent.length) items.push({ label: 'Recently used', kind: vscode.QuickPickItemKind.Separator });
  items.push(...recent.map((arn) => ({ label: arn, arn })));
  if (items.length) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(edit) Enter a role ARN…' });
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Deploy to AWS: the IAM role the state machine runs as',
    placeHolder: 'Choose a role ARN',
    ignoreFocusOut: true,
  });
  if (!chosen) return undefined;
  if (chosen.arn) return chosen.arn;
  const typed = await vscode.window.showInputBox({
    title: 'Deploy to AWS: role ARN',
    placeHolder: 'arn:aws:iam::123456789012:role/StepFunctionsExecutionRole',
    validateInput: (v) => roleArnProblem(v.trim()),
    ignoreFocusOut: true,
  });
  return typed?.trim() || undefined;
}

async function rememberRole(context: vscode.ExtensionContext, arn: string): Promise<void> {
  const old = context.globalState.get<string[]>(RECENT_ROLES_KEY, []).filter((a) => a !== arn);
  await context.globalState.update(RECENT_ROLES_KEY, [arn, ...old].slice(0, RECENT_ROLES));
}

/** The version description and alias of "Deploy and Publish Version…"; undefined when cancelled. */
async function askPublish(): Promise<{ versionDescription?: string; alias?: string } | undefined> {
  const versionDescription = await vscode.window.showInputBox({
    title: 'Publish version: description (optional)',
    ignoreFocusOut: true,
  });
  if (versionDescription === undefined) return undefined;
  const alias = await vscode.window.showInputBox({
    title: 'Publish version: alias to point at it (optional)',
    placeHolder: 'e.g. prod; leave empty for no alias',
    validateInput: (v) => (v.trim() ? aliasNameProblem(v.trim()) : undefined),
    ignoreFocusOut: true,
  });
  if (alias === undefined) return undefined;
  return { versionDescription: versionDescription || undefined, alias: alias.trim() || undefined };
}

/** The distinct IAM actions of a policy, for the confirmation's detail. */
function actionsOf(statements: readonly { Action?: string | string[] }[]): string[] {
  const all = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : s.Action ? [s.Action] : []));
  return [...new Set(all)].sort();
}

/**
 * Which documents the language server has published diagnostics for since their last edit (it
 * publishes for every version it checks, even an empty list), so Deploy refuses on the errors
 * of the text it sends and never on a stale or missing list.
 */
class CheckedDocuments implements vscode.Disposable {
  private readonly checked = new Set<string>();
  private readonly arrived = new vscode.EventEmitter<string>();
  private readonly subs: vscode.Disposable[];

  constructor(published: vscode.Event<vscode.Uri>) {
    this.subs = [
      published((uri) => {
        this.checked.add(uri.toString());
        this.arrived.fire(uri.toString());
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.checked.delete(e.document.uri.toString());
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.checked.delete(d.uri.toString())),
    ];
  }

  /** Whether the diagnostics of the document's current text are in (waits for them up to a deadline). */
  current(uri: vscode.Uri): Promise<boolean> {
    const key = uri.toString();
    if (this.checked.has(key)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        sub.dispose();
        resolve(ok);
      };
      const sub = this.arrived.event((k) => k === key && done(true));
      const timer = setTimeout(() => done(false), DIAGNOSTICS_DEADLINE_MS);
    });
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.arrived.dispose();
  }
}

async function deploy(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  checked: CheckedDocuments,
  arg: DeployArgs | vscode.Uri | undefined,
): Promise<DeployOutcome | undefined> {
  // refused before anything is read or asked: an untrusted workspace never deploys
  if (!vscode.workspace.isTrusted) {
    void requireTrust('Deploy to AWS');
    return undefined;
  }
  const { args, uri } = commandArgs(arg);
  const machine = await commandMachine(client, uri, 'Deploy to AWS', 'deploy it');
  if (!machine) return undefined;
  const { template, document: doc, uri: target } = machine;
  const file = doc.uri.fsPath;
  const shown = template
    ? `${template.info.id} (${vscode.workspace.asRelativePath(doc.uri)})`
    : vscode.workspace.asRelativePath(doc.uri);
  const refuse = (detail: string): undefined => {
    void vscode.window.showErrorMessage(`${shown} is invalid; not deploying it.`, { modal: true, detail });
    return undefined;
  };
  // the language server's errors for the text as it is now (a template's own lines included), as Run Locally lists them
  if (!(await checked.current(doc.uri))) {
    void vscode.window.showErrorMessage(`The language server has not checked ${shown} yet; not deploying it.`);
    return undefined;
  }
  const errors = machineErrors(client, machine);
  if (errors.length) return refuse(invalidMachineDetail(errors));
  const cfg = runConfigFor(file);
  if (!cfg.ok) {
    void vscode.window.showErrorMessage(`The local run config cannot be used: ${cfg.error}`);
    return undefined;
  }
  const given = cfg.config.substitutions;
  const values = template
    ? await runSubstitutions(template.info, given, !args, `Deploy ${template.info.id} to AWS`)
    : given && typeof given === 'object'
      ? (given as Record<string, string | number | boolean>)
      : undefined;
  if (template && !values) return undefined;
  const type = machineTypeFor(file);
  const definition = deployedDefinition(
    template?.info.definition ?? doc.getText(),
    template?.info.format ?? formatOf(file, doc.languageId),
    values,
  );

  let name = args?.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'Deploy to AWS: state machine name',
      prompt: 'Creates the state machine, or updates the one with this name.',
      value: deployedName(file, {}, template?.info),
      validateInput: (v) => stateMachineNameProblem(v.trim()),
      ignoreFocusOut: true,
    });
    if (name === undefined) return undefined;
  }
  name = name.trim();
  const nameProblem = stateMachineNameProblem(name);
  if (nameProblem) return (void vscode.window.showErrorMessage(nameProblem), undefined);
  const roleArn = args?.roleArn ?? (await pickRole(context, target));
  if (!roleArn) return undefined;
  // a role from the settings or the arguments is checked as a typed one is
  const roleProblem = roleArnProblem(roleArn);
  if (roleProblem) return (void vscode.window.showErrorMessage(`${roleProblem} (${roleArn})`), undefined);

  const aws = await sfnClientFor(target);
  if (!aws) return undefined;
  try {
    let publish: { versionDescription?: string; alias?: string } | undefined =
      args?.publish || args?.alias ? { versionDescription: args.versionDescription, alias: args.alias } : undefined;
    if (!args || args.name === undefined || args.roleArn === undefined) {
      // the policy the role needs, beside the machine, before the user decides
      await vscode.commands.executeCommand(GENERATE_IAM_POLICY_COMMAND, doc.uri.toString(), template?.info.id);
      const policy = await requestIamPolicy(client, target).catch(() => null);
      const actions = actionsOf((policy?.policy.Statement ?? []) as { Action?: string | string[] }[]);
      const choice = await vscode.window.showInformationMessage(
        `Deploy ${name} to ${describeTarget(aws.target)}?`,
        {
          modal: true,
          detail:
            `Role: ${roleArn}\n` +
            (actions.length
              ? `The role needs the IAM policy shown beside the machine (actions: ${actions.join(', ')}).`
              : 'The machine calls no service that needs an IAM permission beyond running it.'),
        },
        DEPLOY,
        DEPLOY_AND_PUBLISH,
      );
      if (!choice) return undefined;
      if (choice === DEPLOY_AND_PUBLISH) {
        publish = await askPublish();
        if (!publish) return undefined;
      }
    }
    const done = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Deploying ${name} to ${describeTarget(aws.target)}…` },
      () =>
        deployStateMachine(aws.client, {
          name: name!,
          definition,
          roleArn,
          type,
          ...(publish ? { publish: true, ...publish } : {}),
        }),
    );
    await rememberDeployed(context, target, { stateMachineArn: done.arn, name });
    await rememberRole(context, roleArn);
    void announceDeployed(target, name, done);
    return {
      name,
      stateMachineArn: done.arn,
      action: done.action,
      versionArn: done.versionArn,
      aliasArn: done.aliasArn,
    };
  } catch (e) {
    void vscode.window.showErrorMessage(`Deploy to AWS: ${name} was not deployed: ${awsErrorText(e)}`);
    return undefined;
  } finally {
    aws.client.destroy();
  }
}

/** "Created/Updated <name> (<arn>)" with Start Execution and Copy ARN. */
async function announceDeployed(target: vscode.Uri, name: string, done: DeployResult): Promise<void> {
  const verb = done.action === 'created' ? 'Created' : 'Updated';
  const published = done.versionArn
    ? `; published ${done.versionArn}${done.aliasArn ? ` as ${done.aliasArn}` : ''}`
    : '';
  const choice = await vscode.window.showInformationMessage(
    `${verb} ${name} (${done.arn})${published}`,
    START_EXECUTION,
    COPY_ARN,
  );
  if (choice === START_EXECUTION) await vscode.commands.executeCommand(START_ON_AWS_COMMAND, target);
  else if (choice === COPY_ARN) await vscode.env.clipboard.writeText(done.arn);
}

/**
 * Registers Deploy to AWS (its code lens is Run Locally's, run/codeLens.ts) and Compare Local
 * and AWS Runs. `published` fires for every diagnostics notification of the language server.
 */
export function registerAwsDeploy(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  runs: RunController,
  published: vscode.Event<vscode.Uri>,
): void {
  const checked = new CheckedDocuments(published);
  context.subscriptions.push(
    checked,
    vscode.commands.registerCommand(DEPLOY_COMMAND, (arg?: DeployArgs | vscode.Uri) =>
      deploy(context, client, checked, arg),
    ),
  );
  registerCompareRuns(context, runs);
}
