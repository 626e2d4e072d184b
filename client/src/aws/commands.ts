/**
 * Executions on Step Functions in the Executions view: Start Execution on AWS (editor title,
 * palette; the input picker of Run Locally), Stop, Redrive, Open Recent Executions, and Send
 * Task Success / Failure for `.waitForTaskToken` tasks (client/src/aws/callbacks.ts). Each
 * execution is watched through GetExecutionHistory (client/src/aws/executions.ts) into the same
 * records, documents and graph overlay as local runs. Refused in an untrusted workspace.
 */
import path from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  describeExecution,
  findStateMachineArn,
  listExecutions,
  redriveExecution,
  startExecution,
} from '../../../runner/src/aws/client';
import { deployedName } from '../../../runner/src/aws/deployment';
import type { AwsTarget } from '../../../runner/src/aws/target';
import type { ExecutionRecord } from '../run/controller';
import { finishedMessage, parseJsonText } from '../run/format';
import { stateGraph, type RunLocallyApi } from '../run/index';
import { pickInput, rememberInput } from '../run/prepare';
import type { ExecutionNode } from '../run/tree';
import { commandArgs, commandMachine } from '../templates';
import { requireTrust } from '../trust';
import { registerTaskCallbacks } from './callbacks';
import { START_ON_AWS_COMMAND } from '../run/codeLens';
import { deployedMachineOf } from './deploy';
import { CloudExecution } from './executions';
import { offerStateMachine } from './pickMachine';
import { describeTarget, sfnClientFor, showAwsError } from './settings';

export const STOP_AWS_COMMAND = 'aslWorkbench.stopAwsExecution';
export const REDRIVE_COMMAND = 'aslWorkbench.redriveAwsExecution';
export const OPEN_RECENT_COMMAND = 'aslWorkbench.openRecentAwsExecutions';

/** How many executions Open Recent Executions lists (ListExecutions, newest first). */
const RECENT_EXECUTIONS = 50;

/**
 * Argument of the start command besides a Uri: what is given is not asked (tests and other
 * extensions start without UI; the trust check still applies).
 */
export interface StartOnAwsArgs {
  /** the machine file, or a template's machine uri */
  uri: vscode.Uri | string;
  input?: unknown;
  /** the execution name (default: one Step Functions picks) */
  name?: string;
  /** the state machine (default: the one the file was deployed as, else the one of its deployed name) */
  stateMachineArn?: string;
}

/** Argument of Open Recent Executions besides a Uri: an execution to open without asking. */
export interface OpenRecentArgs {
  uri: vscode.Uri | string;
  executionArn?: string;
  /** the state machine whose executions are listed (default: as for the start command) */
  stateMachineArn?: string;
}

/** What this module knows of a cloud record besides the controller's record. */
export interface CloudRecord {
  cloud: CloudExecution;
  /** the machine definition's text, JSON or YAML (where a waiting task's token is) */
  definition?: string;
}

/** What the AWS execution commands expose on the extension's API (tests read it). */
export interface AwsExecutionsApi {
  cloudOf(id: string): CloudRecord | undefined;
}

/** The plain-JSON result of the start and open commands (survives command-argument serialization). */
export interface StartedOnAws {
  executionId: string;
  executionArn: string;
}

/** Registers the commands; returns the API. */
export function registerAwsExecutions(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  runs: RunLocallyApi,
): AwsExecutionsApi {
  const controller = runs.controller;
  const clouds = new Map<string, CloudRecord>();

  /** The machine a command is about: its document, its definition text, the uri records use. */
  const machineOf = async (
    uri: vscode.Uri | undefined,
    action: string,
  ): Promise<
    | { uri: vscode.Uri; doc: vscode.TextDocument; definition: string; file: string; embedded?: { id: string } }
    | undefined
  > => {
    const m = await commandMachine(client, uri, action, `use ${action}`);
    return (
      m && {
        uri: m.uri,
        doc: m.document,
        definition: m.definition,
        file: m.document.uri.fsPath,
        embedded: m.template?.info,
      }
    );
  };

  /**
   * The deployed state machine of a document: remembered by Deploy to AWS, else found by its
   * deployed name; else the message offers to deploy it, or to go on with a state machine the
   * user chooses (`proceed`).
   */
  const machineArnOf = async (
    sfn: SFNClient,
    m: { uri: vscode.Uri; file: string; embedded?: { id: string } },
    target: AwsTarget,
    action: string,
    proceed: (stateMachineArn: string) => unknown,
  ): Promise<string | undefined> => {
    const remembered = deployedMachineOf(context, m.uri)?.stateMachineArn;
    // a machine deployed to another region (or endpoint default) is not the one of this target
    if (remembered && remembered.split(':')[3] === target.region) return remembered;
    const name = deployedName(m.file, {}, m.embedded);
    const found = await findStateMachineArn(sfn, name);
    if (found) return found;
    // not awaited: the command returns while the message is up
    void offerStateMachine(m.uri, name, describeTarget(target), action, proceed);
    return undefined;
  };

  /** Follows an execution in the view (started now, or opened). */
  const follow = async (
    sfn: { client: SFNClient; target: AwsTarget },
    m: { uri: vscode.Uri; doc: vscode.TextDocument; definition: string },
    executionArn: string,
    input: unknown,
    startedAt: number,
    announce: boolean,
  ): Promise<ExecutionRecord> => {
    let cloud!: CloudExecution;
    const rec = controller.follow({
      origin: 'aws',
      executionArn,
      target: describeTarget(sfn.target),
      uri: m.uri,
      label: path.basename(m.uri.fsPath),
      input,
      startedAt,
      graph: await stateGraph(client, m.uri),
      documentVersion: m.doc.version,
      progress: announce,
      create: (sink) => (cloud = new CloudExecution({ client: sfn.client, executionArn, ownsClient: true }, sink)),
    });
    clouds.set(rec.id, { cloud, definition: m.definition });
    if (announce) void rec.done.then(() => announceFinished(rec));
    return rec;
  };

  const announceFinished = async (rec: ExecutionRecord): Promise<void> => {
    const text = finishedMessage(
      `${rec.label} on ${rec.target}`,
      rec.status,
      (rec.endedAt ?? Date.now()) - rec.startedAt,
      rec.outcome?.error,
    );
    const failed = rec.status !== 'SUCCEEDED' && rec.status !== 'ABORTED';
    const show = failed ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    const choice = await show(text, 'Show in Executions');
    if (choice) await runs.reveal(rec.id);
  };

  const start = async (arg?: StartOnAwsArgs | vscode.Uri): Promise<StartedOnAws | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void requireTrust('Start Execution on AWS'); // not awaited: the message must not block the caller
      return undefined;
    }
    const { args, uri } = commandArgs(arg);
    const m = await machineOf(uri, 'Start Execution on AWS');
    if (!m) return undefined;
    const input =
      args?.input !== undefined
        ? { value: args.input }
        : await pickInput(m.uri, context.workspaceState, 'Start on AWS');
    if (!input) return undefined;
    const sfn = await sfnClientFor(m.uri);
    if (!sfn) return undefined;
    let executionArn: string;
    let startDate: Date;
    try {
      const stateMachineArn =
        args?.stateMachineArn ??
        (await machineArnOf(sfn.client, m, sfn.target, 'Start Execution on AWS', (arn) =>
          start({ uri: m.uri, input: input.value, name: args?.name, stateMachineArn: arn }),
        ));
      if (!stateMachineArn) return (sfn.client.destroy(), undefined);
      ({ executionArn, startDate } = await startExecution(sfn.client, {
        stateMachineArn,
        input: JSON.stringify(input.value),
        name: args?.name,
      }));
    } catch (e) {
      sfn.client.destroy();
      void showAwsError('Start Execution on AWS', e);
      return undefined;
    }
    void rememberInput(context.workspaceState, m.uri, input.value);
    const rec = await follow(sfn, m, executionArn, input.value, startDate.getTime(), true);
    return { executionId: rec.id, executionArn };
  };

  const openRecent = async (arg?: OpenRecentArgs | vscode.Uri): Promise<StartedOnAws | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void requireTrust('Open Recent Executions');
      return undefined;
    }
    const { args, uri } = commandArgs(arg);
    const m = await machineOf(uri, 'Open Recent Executions');
    if (!m) return undefined;
    const sfn = await sfnClientFor(m.uri);
    if (!sfn) return undefined;
    let executionArn = args?.executionArn;
    try {
      if (!executionArn) {
        const machineArn =
          args?.stateMachineArn ??
          (await machineArnOf(sfn.client, m, sfn.target, 'Open Recent Executions', (arn) =>
            openRecent({ uri: m.uri, stateMachineArn: arn }),
          ));
        if (!machineArn) return (sfn.client.destroy(), undefined);
        const list = await listExecutions(sfn.client, machineArn, RECENT_EXECUTIONS);
        const machineName = machineArn.split(':').pop();
        if (!list.length) {
          sfn.client.destroy();
          void vscode.window.showInformationMessage(`${machineName} has no executions yet.`);
          return undefined;
        }
        const pick = await vscode.window.showQuickPick(
          list.map((x) => ({
            label: x.name ?? x.executionArn ?? '',
            description: `${x.status ?? ''} · ${x.startDate?.toLocaleString() ?? ''}`,
            arn: x.executionArn!,
          })),
          { title: `Recent executions of ${machineName}`, placeHolder: 'Open which execution?' },
        );
        if (!pick) return (sfn.client.destroy(), undefined);
        executionArn = pick.arn;
      }
      const running = controller.executions.find((r) => r.executionArn === executionArn && r.status === 'RUNNING');
      if (running) {
        sfn.client.destroy();
        await runs.reveal(running.id);
        return { executionId: running.id, executionArn: running.executionArn };
      }
      // one the view holds goes on from its last event (it may have been redriven since)
      const held = controller.executions.find((r) => r.executionArn === executionArn && isAws(r));
      if (held) {
        followAgain(held, sfn.client, false);
        await runs.reveal(held.id);
        return { executionId: held.id, executionArn };
      }
      const described = await describeExecution(sfn.client, executionArn);
      const rec = await follow(
        sfn,
        m,
        executionArn,
        parseJsonText(described.input),
        described.startDate?.getTime() ?? Date.now(),
        false,
      );
      await runs.reveal(rec.id);
      return { executionId: rec.id, executionArn };
    } catch (e) {
      sfn.client.destroy();
      void showAwsError('Open Recent Executions', e);
      return undefined;
    }
  };

  /** The cloud record of a tree node or id, or the one the user picks among `filter`. */
  const recordOf = async (
    arg: ExecutionNode | string | undefined,
    filter: (r: ExecutionRecord) => boolean,
    none: string,
    placeHolder: string,
  ): Promise<ExecutionRecord | undefined> => {
    const id = typeof arg === 'string' ? arg : arg?.id;
    if (id) {
      const rec = controller.find(id);
      return rec && filter(rec) ? rec : undefined;
    }
    const candidates = controller.executions.filter(filter);
    if (candidates.length === 1) return candidates[0];
    if (!candidates.length) {
      void vscode.window.showInformationMessage(none);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      candidates.map((r) => ({ label: r.label, description: `${r.status} · ${r.target}`, id: r.id })),
      { placeHolder },
    );
    return pick && controller.find(pick.id);
  };

  const isAws = (r: ExecutionRecord): boolean => r.origin === 'aws';

  const stop = async (arg?: ExecutionNode | string): Promise<void> => {
    if (!(await requireTrust('Stop Execution on AWS'))) return;
    const rec = await recordOf(
      arg,
      (r) => isAws(r) && r.status === 'RUNNING',
      'No execution on AWS is followed while running.',
      'Stop which execution?',
    );
    if (rec) await controller.stop(rec.id);
  };

  const redrive = async (arg?: ExecutionNode | string): Promise<StartedOnAws | undefined> => {
    if (!(await requireTrust('Redrive Execution'))) return undefined;
    const rec = await recordOf(
      arg,
      (r) => isAws(r) && r.status !== 'RUNNING' && r.status !== 'SUCCEEDED',
      'No failed, timed out or aborted execution on AWS in the view.',
      'Redrive which execution?',
    );
    if (!rec) return undefined;
    const sfn = await sfnClientFor(rec.uri);
    if (!sfn) return undefined;
    try {
      await redriveExecution(sfn.client, rec.executionArn);
    } catch (e) {
      sfn.client.destroy();
      void showAwsError('Redrive Execution', e);
      return undefined;
    }
    followAgain(rec, sfn.client, true);
    return { executionId: rec.id, executionArn: rec.executionArn };
  };

  /**
   * Follows an ended record again from its last event (after a redrive, or opened again), so
   * the watch does not read what the view holds; the client is destroyed when the record is
   * still followed.
   */
  const followAgain = (rec: ExecutionRecord, client: SFNClient, announce: boolean): void => {
    const afterEventId = rec.events[rec.events.length - 1]?.id ?? 0;
    let cloud!: CloudExecution;
    const resumed = controller.resume(
      rec.id,
      (sink) =>
        (cloud = new CloudExecution({ client, executionArn: rec.executionArn, afterEventId, ownsClient: true }, sink)),
      announce,
    );
    if (!resumed) return void client.destroy();
    clouds.set(rec.id, { cloud, definition: clouds.get(rec.id)?.definition });
    if (announce) void rec.done.then(() => announceFinished(rec));
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(START_ON_AWS_COMMAND, start),
    vscode.commands.registerCommand(STOP_AWS_COMMAND, stop),
    vscode.commands.registerCommand(REDRIVE_COMMAND, redrive),
    vscode.commands.registerCommand(OPEN_RECENT_COMMAND, openRecent),
  );
  registerTaskCallbacks(context, controller, (id) => clouds.get(id), recordOf);
  return { cloudOf: (id) => clouds.get(id) };
}
