/**
 * The kind CLI: located from the run config (`kubernetes.kindPath`, which the extension fills
 * from the aslWorkbench.kind.path setting) then PATH; run with argument arrays only.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StatesError } from '../../../../asl/src/types';
import { ProblemError } from '../../problems';
import type { LocalRunConfig } from '../types';
import { KIND_ERROR, KIND_MISSING_HINT } from './constants';

/** What one kind command printed. */
export interface KindResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Path of the kind executable, or undefined when there is none. */
export function locateKind(config: LocalRunConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = config.kubernetes?.kindPath;
  if (configured) return fs.existsSync(configured) ? configured : undefined;
  const exe = process.platform === 'win32' ? ['kind.exe', 'kind'] : ['kind'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of exe) {
      const f = path.join(dir, name);
      try {
        fs.accessSync(f, fs.constants.X_OK);
        if (fs.statSync(f).isFile()) return f;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

/** Runs kind with `args`; aborting the signal kills it. Never rejects for a non-zero exit. */
export function runKind(
  kindPath: string,
  args: string[],
  opts: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<KindResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kindPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      signal: opts.signal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * A kind runner bound to a config: throws AslWorkbench.KindFailed naming the setting, with the
 * `kindMissing` problem, when kind is absent or cannot be started.
 */
export class Kind {
  readonly path: string;

  constructor(
    config: LocalRunConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    const p = locateKind(config, env);
    if (!p) {
      const configured = config.kubernetes?.kindPath;
      if (!configured) throw new ProblemError(KIND_ERROR, KIND_MISSING_HINT, { kind: 'kindMissing' });
      const cause = `kind was not found at ${configured} (aslWorkbench.kind.path / kubernetes.kindPath)`;
      throw new ProblemError(KIND_ERROR, cause, { kind: 'kindMissing', kindPath: configured });
    }
    this.path = p;
  }

  /** Runs kind and returns stdout; a non-zero exit throws AslWorkbench.KindFailed with stderr. */
  async run(args: string[], signal?: AbortSignal): Promise<string> {
    let r: KindResult;
    try {
      r = await runKind(this.path, args, { signal, env: this.env });
    } catch (e) {
      throw new ProblemError(KIND_ERROR, `could not run ${this.path}: ${(e as Error).message}`, {
        kind: 'kindMissing',
        kindPath: this.path,
      });
    }
    if (r.code !== 0)
      throw new StatesError(
        KIND_ERROR,
        `kind ${args.join(' ')} exited with ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`,
      );
    return r.stdout;
  }

  /** Names of the existing kind clusters. */
  async clusters(signal?: AbortSignal): Promise<string[]> {
    const out = await this.run(['get', 'clusters'], signal);
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^No kind clusters found/i.test(l));
  }

  /** `kind load docker-image <image> --name <cluster>`. */
  loadImage(image: string, cluster: string, signal?: AbortSignal): Promise<string> {
    return this.run(['load', 'docker-image', image, '--name', cluster], signal);
  }
}
