/**
 * `asl-workbench serve` with a real ECS `.waitForTaskToken` task on Docker: the task's own
 * container can call back, while a container on another bridge network can neither drive the
 * API through any address of the host nor reach anything once the execution has ended. The
 * gateway listener also closes on the stop and timeout paths.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { runExecution, startCallbackHub, startExecution } from '../src/api';
import { ContainerEngine } from '../src/drivers/docker/engine';
import { LABELS } from '../src/drivers/docker/labels';
import { runnerLabels } from '../src/drivers/docker/leftovers';
import { EcsDockerDriver } from '../src/drivers/ecs/driver';
import type { LocalRunConfig } from '../src/drivers/types';
import { ensureDocker, leftovers } from './ecs-helpers';
import { rawRequest } from './helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixtures = path.join(import.meta.dirname, 'fixtures', 'serve-isolation');
const engine = new ContainerEngine();
const IMAGE = 'asl-workbench/busybox:latest';
const PROBED = ['CreateStateMachine', 'StartExecution', 'GetExecutionHistory'] as const;

/** `ss -ltnp` rows of one process: the local `address:port` it listens on. */
function listenersOf(pid: number): string[] {
  const r = spawnSync('ss', ['-ltnpH'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `ss -ltnp failed: ${r.stderr || r.error?.message}`);
  return r.stdout
    .split('\n')
    .filter((row) => row.includes(`pid=${pid},`))
    .map((row) => row.trim().split(/\s+/)[3]!)
    .sort();
}

/**
 * Every IPv4 address a container could reach the host by: each engine network's gateway and
 * each address of every host interface, up or down (`ip` lists the down bridges of networks
 * without containers, which Node's os.networkInterfaces() leaves out; the host answers on them
 * all the same).
 */
async function hostAddresses(): Promise<string[]> {
  const found = new Set<string>();
  for (const n of await engine.listNetworks([]))
    for (const c of n.IPAM?.Config ?? []) if (c.Gateway && net.isIPv4(c.Gateway)) found.add(c.Gateway);
  for (const list of Object.values(os.networkInterfaces()))
    for (const i of list ?? []) if (i.family === 'IPv4') found.add(i.address);
  const ip = spawnSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' });
  for (const m of (ip.stdout ?? '').matchAll(/\sinet (\d+\.\d+\.\d+\.\d+)\//g)) found.add(m[1]!);
  return [...found].sort();
}

/**
 * Runs the probe script in a busybox container on a new bridge network against every host
 * address (the probe network's own gateway included); resolves with the addresses and the
 * probe's output lines.
 */
async function probeFromAnotherNetwork(env: Record<string, string>): Promise<{ addresses: string[]; lines: string[] }> {
  const labels = { ...runnerLabels(), [LABELS.kind]: 'test-probe' };
  const name = `asl-wb-probe-${process.pid}-${Date.now()}`;
  const network = await engine.createNetwork(name, labels);
  let id: string | undefined;
  try {
    const addresses = await hostAddresses();
    const script = [
      'for a in $ADDRS; do for p in $PORTS; do for op in $OPS; do',
      '  eval "body=\\$BODY_$op"',
      `  out=$(timeout 5 wget -q -O - --header 'Content-Type: application/x-amz-json-1.0' --header "X-Amz-Target: AWSStepFunctions.$op" --post-data "$body" "http://$a:$p/" 2>&1)`,
      '  rc=$?',
      '  echo "probe $a:$p $op rc=$rc $(echo "$out" | tr "\\n" " " | head -c 300)"',
      'done; done; done',
    ].join('\n');
    id = await engine.createContainer(
      {
        Image: IMAGE,
        Cmd: ['sh', '-c', script],
        Env: Object.entries({ ...env, ADDRS: addresses.join(' ') }).map(([k, v]) => `${k}=${v}`),
        Labels: labels,
        HostConfig: { NetworkMode: name },
      },
      name,
    );
    await engine.startContainer(id);
    await engine.waitContainer(id);
    const lines: string[] = [];
    await engine.streamLogs(id, (line) => lines.push(line));
    return { addresses, lines: lines.filter((l) => l.startsWith('probe ')) };
  } finally {
    if (id) await engine.removeContainer(id, true);
    await engine.removeNetwork(network);
  }
}

describe('serve: containers reach only their own callbacks', () => {
  before(() => ensureDocker());
  after(async () => {
    const left = await leftovers(engine);
    engine.close();
    assert.deepEqual(left, [], 'the probe leaves no container or network behind');
  });

  it('a container on another bridge cannot drive serve through any host address; the task still calls back; no gateway listener outlives the execution', async (t) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'cli/src/main.ts'),
        'serve',
        '--port',
        '0',
        '--config',
        path.join(fixtures, 'asl-workbench.run.json'),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let log = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (log += d));
    const pid = child.pid!;
    let sfn: SFNClient | undefined;
    let executionArn: string | undefined;
    try {
      const url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out)?.[1], {
        deadlineMs: 30000,
        message: 'serve to listen',
      });
      const servePort = Number(new URL(url).port);
      assert.deepEqual(listenersOf(pid), [`127.0.0.1:${servePort}`], 'the management API listens on loopback only');
      sfn = new SFNClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const machine = await sfn.send(
        new CreateStateMachineCommand({
          name: 'Gated',
          roleArn: 'arn:aws:iam::123456789012:role/x',
          definition: fs.readFileSync(path.join(fixtures, 'gated-callback.asl.json'), 'utf8'),
        }),
      );
      const started = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: '{}' }),
      );
      executionArn = started.executionArn!;
      await waitFor(() => log.includes('[worker] waiting for the go'), {
        deadlineMs: 60000,
        message: 'the task container to run',
      });
      const [task] = await engine.listContainers([`${LABELS.execution}=${executionArn}`]);
      const inspect = (await engine.inspectContainer(task!.Id)) as unknown as {
        Config: { Env: string[] };
        NetworkSettings: { Networks: Record<string, { IPAddress: string; Gateway: string }> };
      };
      const [taskNet] = Object.values(inspect.NetworkSettings.Networks);
      const endpointUrl = inspect.Config.Env.find((v) => v.startsWith('AWS_ENDPOINT_URL_SFN='))!.split('=')[1]!;
      const gateway = new URL(endpointUrl);
      assert.equal(gateway.hostname, taskNet!.Gateway, 'the container is pointed at its network gateway');
      assert.deepEqual(
        listenersOf(pid),
        [`127.0.0.1:${servePort}`, `${gateway.hostname}:${gateway.port}`].sort(),
        'one extra listener, on the task network gateway',
      );
      const foreignHost = await rawRequest(endpointUrl, {
        op: 'SendTaskHeartbeat',
        host: `rebound.attacker.example:${gateway.port}`,
        body: { taskToken: 'x' },
      });
      assert.equal(foreignHost.status, 403, 'the gateway listener refuses a foreign Host header');

      const ports = [...new Set([servePort, Number(gateway.port)])];
      const { addresses, lines } = await probeFromAnotherNetwork({
        PORTS: ports.join(' '),
        OPS: PROBED.join(' '),
        BODY_CreateStateMachine: JSON.stringify({
          name: 'Intruder',
          roleArn: 'arn:aws:iam::123456789012:role/x',
          definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        }),
        BODY_StartExecution: JSON.stringify({ stateMachineArn: machine.stateMachineArn, input: '{}' }),
        BODY_GetExecutionHistory: JSON.stringify({ executionArn }),
      });
      assert.ok(addresses.includes(gateway.hostname), addresses.join(', '));
      assert.equal(lines.length, addresses.length * ports.length * PROBED.length, lines.join('\n'));
      for (const l of lines) assert.match(l, / rc=[1-9]\d* /, `refused or unreachable: ${l}`);
      t.diagnostic(
        `${lines.length} probes (${addresses.join(', ')} × ports ${ports.join(', ')} × ${PROBED.join(', ')}): all refused or unreachable`,
      );
      // the gateway listener was reachable from the other network, and said no
      for (const op of PROBED) {
        const l = lines.find((x) => x.startsWith(`probe ${gateway.hostname}:${gateway.port} ${op} `))!;
        assert.match(l, /HTTP\/1\.1 400/, l);
      }
      const machines = await sfn.send(new ListStateMachinesCommand({}));
      assert.deepEqual(
        machines.stateMachines!.map((m) => m.name),
        ['Gated'],
      );
      const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }));
      assert.deepEqual(
        executions.executions!.map((e) => e.executionArn),
        [executionArn],
      );

      // let the task call back through its own gateway
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(8000, taskNet!.IPAddress, () => s.end('go', () => resolve()));
        s.on('error', reject);
      });
      const done = await waitFor(
        async () => {
          const d = await sfn!.send(new DescribeExecutionCommand({ executionArn }));
          return d.status !== 'RUNNING' ? d : undefined;
        },
        { deadlineMs: 60000, message: 'the execution to end' },
      );
      assert.equal(done.status, 'SUCCEEDED', `${done.error}: ${done.cause}\n${log}`);
      assert.equal(done.output, '42');
      assert.match(log, /\[worker\] called back\n/, "the container's own SendTaskSuccess went through");
      await waitFor(() => listenersOf(pid).length === 1, {
        deadlineMs: 20000,
        message: 'the gateway listener to close',
      });
      assert.deepEqual(listenersOf(pid), [`127.0.0.1:${servePort}`], 'no listener remains on a gateway address');
      assert.deepEqual(await engine.listContainers([`${LABELS.execution}=${executionArn}`]), []);
    } finally {
      sfn?.destroy();
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r)));
    }
    assert.deepEqual(
      await engine.listNetworks([`${LABELS.execution}=${executionArn}`]),
      [],
      'the task network is gone',
    );
  });

  it('the gateway listener also closes when the execution is stopped, and when a crashed task times out', async () => {
    const hub = await startCallbackHub();
    const driver = new EcsDockerDriver();
    const configPath = path.join(fixtures, 'asl-workbench.run.json');
    const config = { ...(JSON.parse(fs.readFileSync(configPath, 'utf8')) as LocalRunConfig), configPath };
    const gated = JSON.parse(fs.readFileSync(path.join(fixtures, 'gated-callback.asl.json'), 'utf8')) as {
      States: {
        'Gated task': {
          TimeoutSeconds: number;
          Parameters: { Overrides: { ContainerOverrides: Array<Record<string, unknown>> } };
        };
      };
    };
    const crashing = structuredClone(gated);
    crashing.States['Gated task'].TimeoutSeconds = 3;
    crashing.States['Gated task'].Parameters.Overrides.ContainerOverrides[0]!.Command = [
      'sh',
      '-c',
      'echo crashing; exit 3',
    ];
    const gatewayListeners = () => hub.endpoint.addresses().filter((a) => a.address !== '127.0.0.1');
    try {
      const logs: string[] = [];
      const stopped = startExecution({
        definition: gated,
        drivers: [driver],
        callback: hub,
        config,
        baseDir: fixtures,
        onLog: (l) => logs.push(l),
      });
      await waitFor(() => logs.includes('waiting for the go'), {
        deadlineMs: 60000,
        message: 'the task container to run',
      });
      assert.equal(gatewayListeners().length, 1, 'a gateway listener while the task runs');
      stopped.stop('User.Stop', 'stopped by the test');
      assert.equal((await stopped.result).status, 'ABORTED');
      assert.deepEqual(gatewayListeners(), [], 'closed after the stop');
      assert.deepEqual(listenersOf(process.pid), [`127.0.0.1:${hub.endpoint.port}`]);

      const crashLogs: string[] = [];
      const timedOut = await runExecution({
        definition: crashing,
        drivers: [driver],
        callback: hub,
        config,
        baseDir: fixtures,
        onLog: (l) => crashLogs.push(l),
      });
      assert.equal(timedOut.status, 'FAILED');
      assert.equal(timedOut.error, 'States.Timeout');
      assert.ok(crashLogs.includes('crashing'), crashLogs.join('\n'));
      assert.deepEqual(gatewayListeners(), [], 'closed after the timeout');
      assert.deepEqual(listenersOf(process.pid), [`127.0.0.1:${hub.endpoint.port}`]);
      assert.deepEqual(await leftovers(engine), []);
    } finally {
      driver.close();
      await hub.close();
    }
  });
});
