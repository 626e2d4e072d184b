/**
 * scripts/setup-docker.sh's decisions, without touching the real engine or apt: the script runs
 * with a PATH of stand-ins that record their arguments — `docker` (whose `info` answers only once
 * a stand-in engine is "up"), `apt-get` (installing docker.io puts a stand-in `dockerd` on the
 * PATH), `dockerd` and `systemctl` (starting either brings the stand-in engine up) and `id` — plus
 * the few real tools the script uses.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'setup-docker.sh');
const BASH = fs.existsSync('/bin/bash') ? '/bin/bash' : '/usr/bin/bash';
const REAL_TOOLS = ['grep', 'date', 'sleep', 'nohup', 'ldd', 'cp', 'chmod'];

const STANDINS = {
  docker: `echo "docker $*" >>"$STANDIN_LOG"
case "$1" in
  info) [ -e "$STANDIN_DIR/engine-up" ] ;;
  image) [ "$2" = inspect ] && [ -e "$STANDIN_DIR/engine-up" ] ;;
  *) exit 1 ;;
esac`,
  'apt-get': `echo "apt-get $*" >>"$STANDIN_LOG"
if [ "$1" = install ]; then
  for p in "$@"; do
    if [ "$p" = docker.io ]; then cp "$STANDIN_DIR/dockerd" "$STANDIN_DIR/bin/dockerd"; chmod +x "$STANDIN_DIR/bin/dockerd"; fi
  done
fi`,
  dockerd: `echo "dockerd $*" >>"$STANDIN_LOG"
[ -n "$STANDIN_ENGINE_NEVER_ANSWERS" ] || : >"$STANDIN_DIR/engine-up"`,
  systemctl: `echo "systemctl $*" >>"$STANDIN_LOG"
if [ "$1 $2" = "start docker" ] && [ -x "$STANDIN_DIR/bin/dockerd" ]; then : >"$STANDIN_DIR/engine-up"; exit 0; fi
exit 5`,
  id: 'echo "${STANDIN_UID:-0}"',
};
type Standin = keyof typeof STANDINS;

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Machine {
  /** stand-ins on the PATH besides docker, apt-get and id (default: none) */
  with?: Standin[];
  engineUp?: boolean;
  env?: Record<string, string>;
}

/** Runs the script on a stand-in machine; returns its output and the stand-ins' calls in order. */
function setup(args: string[], machine: Machine = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-setup-docker-'));
  dirs.push(dir);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const write = (file: string, body: string) => fs.writeFileSync(file, `#!${BASH}\n${body}\n`, { mode: 0o755 });
  for (const name of ['docker', 'apt-get', 'id', ...(machine.with ?? [])] as Standin[])
    write(path.join(bin, name), STANDINS[name]);
  // what installing docker.io puts on the PATH
  write(path.join(dir, 'dockerd'), STANDINS.dockerd);
  for (const tool of REAL_TOOLS) {
    const real = spawnSync('which', [tool], { encoding: 'utf8' }).stdout.trim();
    if (real) fs.symlinkSync(real, path.join(bin, tool));
  }
  if (machine.engineUp) fs.writeFileSync(path.join(dir, 'engine-up'), '');
  const log = path.join(dir, 'calls.log');
  const r = spawnSync(BASH, [SCRIPT, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: bin,
      HOME: dir,
      STANDIN_DIR: dir,
      STANDIN_LOG: log,
      ASL_DOCKERD_LOG: path.join(dir, 'dockerd.log'),
      ASL_DOCKERD_DEADLINE: '5',
      ...machine.env,
    },
  });
  const calls = fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.trimEnd())
    : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

const installs = (calls: string[]) => calls.filter((c) => c.startsWith('apt-get install'));
const starts = (calls: string[]) => calls.filter((c) => c.startsWith('dockerd') || c.startsWith('systemctl start'));

describe('scripts/setup-docker.sh', () => {
  it('a docker client without an engine or dockerd: installs docker.io, starts dockerd and waits for it', () => {
    const r = setup([]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(installs(r.calls), ['apt-get install -y -q docker.io']);
    assert.deepEqual(starts(r.calls), ['dockerd']);
    assert.match(r.stdout, /installing docker\.io with apt/);
    assert.match(r.stdout, /dockerd is up/);
    assert.match(r.stdout, /image asl-workbench\/busybox:latest present/);
  });

  it('with systemd, the installed engine is started through systemctl', () => {
    const r = setup([], { with: ['systemctl'] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(installs(r.calls), ['apt-get install -y -q docker.io']);
    assert.deepEqual(starts(r.calls), ['systemctl start docker']);
  });

  it('dockerd installed but not running: starts it and installs nothing', () => {
    const r = setup(['--quiet'], { with: ['dockerd'] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(installs(r.calls), []);
    assert.deepEqual(starts(r.calls), ['dockerd']);
    assert.equal(r.stdout, '');
  });

  it('an engine that already answers (without dockerd here): installs and starts nothing', () => {
    const r = setup([], { engineUp: true });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.calls.filter((c) => !c.startsWith('docker ')),
      [],
    );
  });

  it('not root: says how to install docker.io and installs nothing', () => {
    const r = setup([], { env: { STANDIN_UID: '1000' } });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /setup-docker: dockerd is missing and installing it needs root: run 'sudo bash scripts\/setup-docker\.sh' \(or install docker\.io yourself\)/,
    );
    assert.deepEqual(installs(r.calls), []);
  });

  it('an unreachable DOCKER_HOST is an error that says what to do, before installing anything', () => {
    const r = setup(['--quiet'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock does not answer; start that engine or unset DOCKER_HOST/,
    );
    assert.deepEqual(installs(r.calls), []);
    assert.deepEqual(starts(r.calls), []);
  });

  it('a dockerd that never answers fails at the deadline and names its log', () => {
    const r = setup([], { with: ['dockerd'], env: { STANDIN_ENGINE_NEVER_ANSWERS: '1', ASL_DOCKERD_DEADLINE: '1' } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /dockerd did not answer within 1s; see .*dockerd\.log/);
  });

  it('--image-only with a client but no engine exits 0 quietly and installs or starts nothing', () => {
    const r = setup(['--image-only'], { with: ['systemctl'] });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
    assert.deepEqual(r.calls, ['docker info']);
  });

  it('--image-only with an engine and the image: checks and stops there', () => {
    const r = setup(['--image-only'], { engineUp: true });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.calls, ['docker info', 'docker image inspect asl-workbench/busybox:latest']);
  });

  it('refuses an unknown option with exit 2 and the usage', () => {
    const r = setup(['--bogus']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /usage: bash scripts\/setup-docker\.sh \[--quiet\] \[--image-only\]/);
  });
});
