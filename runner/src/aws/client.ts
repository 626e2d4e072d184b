/**
 * Step Functions through the AWS SDK: the client for a resolved target with the standard
 * credential chain (profiles, SSO, environment, container and instance roles), create-or-update
 * of a state machine, and watching an execution's history. Shared by the CLI and the extension;
 * nothing here stores or prints a credential.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  type DescribeExecutionCommandOutput,
  type DescribeMapRunCommandOutput,
  type ExecutionListItem,
  type ExecutionStatus,
  type HistoryEvent as SdkHistoryEvent,
  type MapRunListItem,
  type StateMachineListItem,
} from '@aws-sdk/client-sfn';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { isLoopbackUrl } from '../loopback';
import type { AwsTarget, SharedProfiles } from './target';

/** Attempts per request, throttling included; the SDK backs off exponentially between them. */
export const MAX_ATTEMPTS = 6;

/** How long the watcher waits between two looks at a running execution. */
export const POLL_INTERVAL_MS = 1000;

/** Sections of an INI-style shared config text; `[profile x]` and `[x]` both name profile x. */
export function parseSharedConfig(text: string): SharedProfiles {
  const out: SharedProfiles = {};
  let section: Record<string, string | undefined> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s[#;].*$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (header) section = out[header[1]!] ??= {};
    else if (section && !/^\s/.test(raw)) {
      const eq = line.indexOf('=');
      if (eq > 0) section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  return out;
}

/** The shared config file's profiles (AWS_CONFIG_FILE or ~/.aws/config); none when it is missing or unreadable. */
export function loadSharedProfiles(env: Record<string, string | undefined> = process.env): SharedProfiles {
  const file = env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config');
  try {
    return parseSharedConfig(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

/** An SDK error as one line: its name and message (never the request, which carries the signature). */
export function awsErrorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * What requests to an endpoint on this machine (serve, an emulator) are signed with when the
 * credential chain finds nothing: such endpoints accept any key, and a user trying a machine
 * locally should not need an AWS account. Local behaviour; AWS itself is never sent these.
 */
export const LOCAL_ENDPOINT_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;

/** The standard credential chain; for a loopback endpoint, LOCAL_ENDPOINT_CREDENTIALS when the chain has none. */
function credentialsFor(target: AwsTarget): CredentialProvider {
  const chain = fromNodeProviderChain(target.profile ? { profile: target.profile } : {});
  if (!target.endpointUrl || !isLoopbackUrl(target.endpointUrl)) return chain;
  let settled: ReturnType<CredentialProvider> | undefined;
  // asked once per client: the chain's last resort (instance metadata) takes a second to fail
  return () => (settled ??= chain().catch(() => ({ ...LOCAL_ENDPOINT_CREDENTIALS })));
}

export function createSfnClient(target: AwsTarget): SFNClient {
  return new SFNClient({
    region: target.region,
    endpoint: target.endpointUrl,
    credentials: credentialsFor(target),
    maxAttempts: MAX_ATTEMPTS,
  });
}

/** The ARN of the state machine with this name, paging through ListStateMachines. */
export async function findStateMachineArn(client: SFNClient, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListStateMachinesCommand({ nextToken }));
    const hit = page.stateMachines?.find((m) => m.name === name);
    if (hit?.stateMachineArn) return hit.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/**
 * Up to `max` items of a list operation, page after page; `read` asks for one page of at most
 * `maxResults` (the operations' largest page is 1000).
 */
async function collectPages<T>(
  max: number,
  read: (maxResults: number, nextToken: string | undefined) => Promise<{ items?: T[]; nextToken?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  if (max < 1) return out;
  do {
    const page = await read(Math.min(max - out.length, 1000), nextToken);
    out.push(...(page.items ?? []));
    nextToken = page.nextToken;
  } while (nextToken && out.length < max);
  return out.slice(0, max);
}

/** Up to `max` state machines of the account and region, paging through ListStateMachines. */
export function listStateMachines(client: SFNClient, max = 1000): Promise<StateMachineListItem[]> {
  return collectPages(max, async (maxResults, nextToken) => {
    const page = await client.send(new ListStateMachinesCommand({ maxResults, nextToken }));
    return { items: page.stateMachines, nextToken: page.nextToken };
  });
}

export interface DeployRequest {
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  /** publish the deployed revision as a new version */
  publish?: boolean;
  /** the description of the published version */
  versionDescription?: string;
  /** points this alias (created when missing) at the published version; implies `publish` */
  alias?: string;
}

export interface DeployResult {
  arn: string;
  action: 'created' | 'updated';
  /** the version published, when `publish` or `alias` asked for one */
  versionArn?: string;
  /** the alias pointing at `versionArn`, when `alias` was given */
  aliasArn?: string;
}

/**
 * Creates the state machine, or updates the one of that name; with `publish` or `alias` it
 * publishes the deployed revision as a version (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html)
 * and routes the alias wholly to it (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html).
 */
export async function deployStateMachine(client: SFNClient, req: DeployRequest): Promise<DeployResult> {
  const publish = req.publish === true || req.alias !== undefined;
  const versioning = publish ? { publish: true, versionDescription: req.versionDescription } : {};
  const existing = await findStateMachineArn(client, req.name);
  let result: DeployResult;
  if (existing) {
    const updated = await client.send(
      new UpdateStateMachineCommand({
        stateMachineArn: existing,
        definition: req.definition,
        roleArn: req.roleArn,
        ...versioning,
      }),
    );
    result = { arn: existing, action: 'updated', versionArn: updated.stateMachineVersionArn };
  } else {
    const created = await client.send(
      new CreateStateMachineCommand({
        name: req.name,
        definition: req.definition,
        roleArn: req.roleArn,
        type: req.type,
        ...versioning,
      }),
    );
    result = { arn: created.stateMachineArn!, action: 'created', versionArn: created.stateMachineVersionArn };
  }
  if (req.alias !== undefined) {
    if (!result.versionArn)
      throw new Error(`The endpoint published no version of ${result.arn}, so the alias '${req.alias}' was not set`);
    result.aliasArn = await pointAlias(client, result.arn, req.alias, result.versionArn);
  }
  return result;
}

/** Routes all executions of the alias to the version, creating the alias when the state machine has none of that name. */
async function pointAlias(
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  versionArn: string,
): Promise<string> {
  const routingConfiguration = [{ stateMachineVersionArn: versionArn, weight: 100 }];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListStateMachineAliasesCommand({ stateMachineArn, nextToken }));
    const hit = page.stateMachineAliases?.find((a) => a.stateMachineAliasArn?.endsWith(`:${name}`));
    if (hit?.stateMachineAliasArn) {
      await client.send(
        new UpdateStateMachineAliasCommand({ stateMachineAliasArn: hit.stateMachineAliasArn, routingConfiguration }),
      );
      return hit.stateMachineAliasArn;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const created = await client.send(new CreateStateMachineAliasCommand({ name, routingConfiguration }));
  return created.stateMachineAliasArn!;
}

export interface StartRequest {
  /** a state machine, version or alias ARN */
  stateMachineArn: string;
  /** the execution input as JSON text */
  input: string;
  name?: string;
}

export async function startExecution(
  client: SFNClient,
  req: StartRequest,
): Promise<{ executionArn: string; startDate: Date }> {
  const out = await client.send(new StartExecutionCommand(req));
  return { executionArn: out.executionArn!, startDate: out.startDate ?? new Date() };
}

export async function stopExecution(
  client: SFNClient,
  executionArn: string,
  error?: string,
  cause?: string,
): Promise<{ stopDate: Date }> {
  const out = await client.send(new StopExecutionCommand({ executionArn, error, cause }));
  return { stopDate: out.stopDate ?? new Date() };
}

/** Restarts a failed, timed-out or aborted Standard execution from where it stopped (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html). */
export async function redriveExecution(client: SFNClient, executionArn: string): Promise<{ redriveDate: Date }> {
  const out = await client.send(new RedriveExecutionCommand({ executionArn }));
  return { redriveDate: out.redriveDate ?? new Date() };
}

export function describeExecution(client: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return client.send(new DescribeExecutionCommand({ executionArn }));
}

/** Up to `max` executions of the state machine, newest first, paging through ListExecutions. */
export async function listExecutions(
  client: SFNClient,
  stateMachineArn: string,
  max = 50,
  statusFilter?: ExecutionStatus,
): Promise<ExecutionListItem[]> {
  const out = await collectPages(max, async (maxResults, nextToken) => {
    const page = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter, maxResults, nextToken }));
    return { items: page.executions, nextToken: page.nextToken };
  });
  // AWS lists newest first; the sort keeps that order whatever the endpoint does
  return out.sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
}

/** A Map Run's status, settings and item and child execution counts (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html). */
export function describeMapRun(client: SFNClient, mapRunArn: string): Promise<DescribeMapRunCommandOutput> {
  return client.send(new DescribeMapRunCommand({ mapRunArn }));
}

/** Up to `max` Map Runs the Distributed Maps of an execution started, paging through ListMapRuns. */
export function listMapRuns(client: SFNClient, executionArn: string, max = 1000): Promise<MapRunListItem[]> {
  return collectPages(max, async (maxResults, nextToken) => {
    const page = await client.send(new ListMapRunsCommand({ executionArn, maxResults, nextToken }));
    return { items: page.mapRuns, nextToken: page.nextToken };
  });
}

/** Completes a `.waitForTaskToken` task; `outputJson` is the task's result as JSON text. */
export async function sendTaskSuccess(client: SFNClient, taskToken: string, outputJson: string): Promise<void> {
  await client.send(new SendTaskSuccessCommand({ taskToken, output: outputJson }));
}

export async function sendTaskFailure(
  client: SFNClient,
  taskToken: string,
  error?: string,
  cause?: string,
): Promise<void> {
  await client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
}

export interface WatchOptions {
  /** each new history event, in id order, once */
  onEvent?: (e: SdkHistoryEvent) => void;
  /**
   * the new events of one history page as one batch (one call per page read, batches in id
   * order, never empty), so a view can apply a long history in a few updates
   */
  onEvents?: (batch: SdkHistoryEvent[]) => void;
  /**
   * cuts one wait between two polls short when it aborts (the next poll comes at once, later
   * ones at the interval again); the watch goes on until the execution ends
   */
  signal?: AbortSignal;
  /** ends the watch at its next step; the result is the last DescribeExecution read */
  cancel?: AbortSignal;
  pollIntervalMs?: number;
  /** GetExecutionHistory page size (AWS default and maximum: 1000) */
  pageSize?: number;
  /**
   * the events up to this id are known already (a redriven or re-opened execution): the
   * first round reads newest first down to it, and only later events are handed on
   */
  afterEventId?: number;
  /**
   * runs once per round after the round's events were handed on, also in the last round
   * (what else follows the execution at the watch's cadence); the next wait starts once it
   * settles, and a rejection ends the watch
   */
  onRound?: () => Promise<void> | void;
}

/**
 * Follows an execution until it ends (or `cancel`). The first round reads the history oldest
 * first (unless `afterEventId`) and hands each page on as it arrives, so a long history shows
 * while it loads; later rounds read newest first down to the last event already seen (so a long history is read
 * once, not once per round) and hand those pages on oldest first. It stops after the round
 * that finds the execution ended.
 */
export async function watchExecution(
  client: SFNClient,
  executionArn: string,
  options: WatchOptions,
): Promise<DescribeExecutionCommandOutput> {
  let lastId = options.afterEventId ?? 0;
  const interval = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  // an aborted signal stays aborted: it wakes the watch once, not on every later wait
  let wake = options.signal;
  const deliver = (batch: SdkHistoryEvent[]): void => {
    if (!batch.length) return;
    options.onEvents?.(batch);
    if (options.onEvent) for (const e of batch) options.onEvent(e);
    lastId = batch[batch.length - 1]!.id ?? lastId;
  };
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (lastId === 0) await readForward(client, executionArn, options, deliver);
    else {
      const batches = await readBackTo(client, executionArn, lastId, options);
      for (const [i, batch] of batches.entries()) {
        // the pages of a burst go out one task each, so a view applying them stays responsive
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        deliver(batch);
      }
    }
    await options.onRound?.();
    // the history read after a Describe that saw the end holds every event
    if (described.status !== 'RUNNING' && described.status !== 'PENDING_REDRIVE') return described;
    if (options.cancel?.aborted) return described;
    await pause(interval, wake, options.cancel);
    if (wake?.aborted) wake = undefined;
    if (options.cancel?.aborted) return described;
  }
}

/** The whole history oldest first, each page handed on as it is read. */
async function readForward(
  client: SFNClient,
  executionArn: string,
  options: WatchOptions,
  deliver: (batch: SdkHistoryEvent[]) => void,
): Promise<void> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: options.pageSize, nextToken }),
    );
    deliver(page.events ?? []);
    nextToken = page.nextToken;
  } while (nextToken && !options.cancel?.aborted);
}

/** The events after `lastId` as the pages read newest first, turned oldest first. */
async function readBackTo(
  client: SFNClient,
  executionArn: string,
  lastId: number,
  options: WatchOptions,
): Promise<SdkHistoryEvent[][]> {
  const pages: SdkHistoryEvent[][] = [];
  let nextToken: string | undefined;
  pages: do {
    const page = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: options.pageSize, nextToken }),
    );
    const fresh: SdkHistoryEvent[] = [];
    pages.push(fresh);
    for (const e of page.events ?? []) {
      if ((e.id ?? 0) <= lastId) break pages;
      fresh.push(e);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return pages.reverse().map((p) => p.reverse());
}

function pause(ms: number, ...signals: Array<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve) => {
    if (signals.some((s) => s?.aborted)) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      for (const s of signals) s?.removeEventListener('abort', done);
      resolve();
    }
    for (const s of signals) s?.addEventListener('abort', done, { once: true });
  });
}
