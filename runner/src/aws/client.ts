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
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SFNClient,
  UpdateStateMachineCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent as SdkHistoryEvent,
} from '@aws-sdk/client-sfn';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
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

export function createSfnClient(target: AwsTarget): SFNClient {
  return new SFNClient({
    region: target.region,
    endpoint: target.endpointUrl,
    credentials: fromNodeProviderChain(target.profile ? { profile: target.profile } : {}),
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

export interface DeployRequest {
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
}

/** Creates the state machine, or updates the one of that name; the ARN and which of the two happened. */
export async function deployStateMachine(
  client: SFNClient,
  req: DeployRequest,
): Promise<{ arn: string; action: 'created' | 'updated' }> {
  const existing = await findStateMachineArn(client, req.name);
  if (existing) {
    await client.send(
      new UpdateStateMachineCommand({ stateMachineArn: existing, definition: req.definition, roleArn: req.roleArn }),
    );
    return { arn: existing, action: 'updated' };
  }
  const created = await client.send(
    new CreateStateMachineCommand({ name: req.name, definition: req.definition, roleArn: req.roleArn, type: req.type }),
  );
  return { arn: created.stateMachineArn!, action: 'created' };
}

export interface WatchOptions {
  /** each new history event, in id order, once */
  onEvent: (e: SdkHistoryEvent) => void;
  signal?: AbortSignal;
  pollIntervalMs?: number;
  /** GetExecutionHistory page size (AWS default and maximum: 1000) */
  pageSize?: number;
}

/**
 * Follows an execution until it ends: each round reads the history newest first down to the
 * last event already seen (so a long history is read once, not once per round), hands the new
 * events on in order, and stops after the round that finds the execution ended.
 */
export async function watchExecution(
  client: SFNClient,
  executionArn: string,
  options: WatchOptions,
): Promise<DescribeExecutionCommandOutput> {
  let lastId = 0;
  const interval = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    const fresh: SdkHistoryEvent[] = [];
    let nextToken: string | undefined;
    pages: do {
      const page = await client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          maxResults: options.pageSize,
          nextToken,
        }),
      );
      for (const e of page.events ?? []) {
        if ((e.id ?? 0) <= lastId) break pages;
        fresh.push(e);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    fresh.reverse();
    for (const e of fresh) options.onEvent(e);
    if (fresh.length) lastId = fresh[fresh.length - 1]!.id ?? lastId;
    // the history read after a Describe that saw the end holds every event
    if (described.status !== 'RUNNING' && described.status !== 'PENDING_REDRIVE') return described;
    await pause(interval, options.signal);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
