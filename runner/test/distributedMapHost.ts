/** Set-up shared by the Distributed Map tests: temp folders as buckets, a one-Map machine, a run. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runExecution, type ExecutionResult, type RunOptions } from '../src/api';
import type { LocalRunConfig } from '../src/drivers/types';

const temps: string[] = [];

/** Removes the folders `folder` made (a test file's `after` hook). */
export function removeFolders(): void {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A temp folder with `files` (path → content) under it. */
export function folder(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-dmap-'));
  temps.push(dir);
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

/** A one-state machine: a distributed Map with `fields`, whose child runs `child` (default: a Pass). */
export function machine(
  fields: Record<string, unknown>,
  child?: Record<string, unknown>,
  top: Record<string, unknown> = {},
): object {
  return {
    ...top,
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: child ?? { Type: 'Pass', End: true } },
        },
        ...fields,
        End: true,
      },
    },
  };
}

export function getObject(key: string, readerConfig: Record<string, unknown>): Record<string, unknown> {
  return {
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: readerConfig,
      Parameters: { Bucket: 'data', Key: key },
    },
  };
}

export async function run(
  definition: object,
  s3: LocalRunConfig['s3'],
  extra: Partial<RunOptions> = {},
): Promise<ExecutionResult> {
  return runExecution({
    definition,
    input: {},
    drivers: [],
    timeScale: 0,
    config: { s3 },
    stateMachineName: 'rows',
    ...extra,
  });
}

export function ok(r: ExecutionResult): void {
  assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
}
