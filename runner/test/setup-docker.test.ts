/**
 * scripts/setup-docker.sh --image-only (scripts/main.sh calls it): never installs or starts
 * anything, and is a quiet no-op when no engine answers.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'setup-docker.sh');
// without a docker CLI the full script would install docker.io (as root): not in a unit test
const hasDockerCli = spawnSync('docker', ['--version']).status === 0;

function setup(args: string[], env: Record<string, string> = {}) {
  return spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
}

describe('scripts/setup-docker.sh', () => {
  it('--image-only exits 0 quietly when no engine is reachable', () => {
    const r = setup(['--image-only'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
  });

  it('refuses an unknown option with exit 2 and the usage', () => {
    const r = setup(['--bogus']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: bash scripts\/setup-docker\.sh \[--quiet\] \[--image-only\]/);
  });

  it(
    'without --image-only, an unreachable DOCKER_HOST is an error that says what to do',
    { skip: !hasDockerCli && 'no docker CLI' },
    () => {
      const r = setup(['--quiet'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock does not answer/);
    },
  );
});
