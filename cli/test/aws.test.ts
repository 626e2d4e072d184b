/**
 * `deploy` and `run --aws` through the real AWS SDK client against `asl-workbench serve`
 * (--endpoint-url), with a small proxy in front of it that injects throttling, server errors
 * and small history pages, and records what the CLI asked for.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const ECS = path.join(root, 'examples/ecs-run-task-sync');
const fx = (f: string): string => path.join(import.meta.dirname, 'fixtures/aws', f);
const ROLE = 'arn:aws:iam::123456789012:role/asl-workbench-test';
const SECRET = 'wJalrXUtnFEMI-test-secret-never-printed';
// dummy credentials through the environment; no shared config or credentials file is read
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIATESTNOTREAL00000',
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_SESSION_TOKEN: 'session-token-never-printed',
  AWS_CONFIG_FILE: path.join(root, 'no-such-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'no-such-aws-credentials'),
  AWS_PROFILE: '',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  AWS_ENDPOINT_URL: '',
  AWS_ENDPOINT_URL_SFN: '',
};

interface Cli {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number>;
}

function cli(args: string[], env: Record<string, string> = ENV): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/src/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  let out = '';
  let errText = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (errText += d));
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return { child, stdout: () => out, stderr: () => errText, exit };
}

async function finished(c: Cli): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = await c.exit;
  const r = { code, stdout: c.stdout(), stderr: c.stderr() };
  // whatever happened, no credential reached the output
  for (const secret of [SECRET, ENV.AWS_SESSION_TOKEN]) {
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'a credential was printed');
  }
  return r;
}

/** What the proxy does to the next requests, and what it saw. */
const proxy = {
  throttleNext: 0,
  failAll: false,
  pageSize: 0,
  seen: [] as { op: string; body: Record<string, unknown>; response: string }[],
};

/** The ▶/✔ progress lines without durations: the path the run took. */
const pathOf = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((l) => /^\s*[▶✔✘]/.test(l))
    .map((l) => l.replace(/ \d+ ms$/, ''));

describe('deploy and run --aws against a Step Functions endpoint', () => {
  let serve: Cli;
  let serveUrl = '';
  let server: http.Server;
  let url = '';

  before(async () => {
    serve = cli(['serve', '--port', '0', '--mock-config', path.join(ECS, 'mock-config.json')]);
    serveUrl = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout())?.[1], {
      message: 'serve to listen',
    });
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const op =
          String(req.headers['x-amz-target'] ?? '')
            .split('.')
            .pop() ?? '';
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        const seen = { op, body, response: '' };
        proxy.seen.push(seen);
        const reply = (status: number, text: string): void => {
          seen.response = text;
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(text);
        };
        if (proxy.failAll)
          return reply(500, JSON.stringify({ __type: 'InternalServerError', message: 'injected server failure' }));
        if (proxy.throttleNext > 0) {
          proxy.throttleNext--;
          return reply(400, JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        }
        if (op === 'GetExecutionHistory' && proxy.pageSize) body.maxResults = proxy.pageSize;
        const forwarded = http.request(
          `${serveUrl}/`,
          {
            method: 'POST',
            headers: { 'content-type': req.headers['content-type'], 'x-amz-target': req.headers['x-amz-target'] },
          },
          (up) => {
            const back: Buffer[] = [];
            up.on('data', (c: Buffer) => back.push(c));
            up.on('end', () => reply(up.statusCode ?? 500, Buffer.concat(back).toString('utf8')));
          },
        );
        forwarded.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  after(async () => {
    server?.close();
    serve?.child.kill('SIGTERM');
    await serve?.exit;
  });

  const deploy = (file: string, ...more: string[]): Cli =>
    cli(['deploy', file, '--role-arn', ROLE, '--endpoint-url', url, ...more]);
  const runAws = (file: string, ...more: string[]): Cli => cli(['run', file, '--aws', '--endpoint-url', url, ...more]);

  it('creates the state machine, then updates it, printing its ARN and the IAM policy it needs', async () => {
    const first = await finished(deploy(path.join(ECS, 'state-machine.asl.json')));
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'arn:aws:states:us-east-1:123456789012:stateMachine:state-machine\n');
    assert.match(first.stderr, /IAM policy the role needs/);
    assert.match(first.stderr, /"ecs:RunTask"/);
    assert.match(first.stderr, /deploy: created state-machine/);
    const second = await finished(deploy(path.join(ECS, 'state-machine.asl.json')));
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.match(second.stderr, /deploy: updated state-machine/);
    assert.ok(proxy.seen.some((s) => s.op === 'UpdateStateMachine' && s.body.roleArn === ROLE));
  });

  it("deploys a template's state machine with its placeholders replaced by their values", async () => {
    const template = path.join(root, 'examples/cloudformation/template.yaml');
    const r = await finished(deploy(template, '--machine', 'RunCommands'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'arn:aws:states:us-east-1:123456789012:stateMachine:RunCommands\n');
    const sent = proxy.seen.filter((s) => s.op === 'CreateStateMachine').at(-1)!;
    const definition = String(sent.body.definition);
    assert.doesNotMatch(definition, /\$\{/);
    assert.equal(JSON.parse(definition).StartAt, 'Run commands');
  });

  it('publishes a version and points an alias at it, printing their ARNs after the state machine ARN', async () => {
    const file = fx('wait-then-done.asl.json');
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:wait-then-done';
    const r = await finished(deploy(file, '--alias', 'live', '--version-description', 'first cut'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${arn}\n${arn}:1\n${arn}:live\n`);
    assert.match(r.stderr, /^deploy: published version 1$/m);
    assert.match(r.stderr, /^deploy: alias live runs version 1$/m);
    const published = proxy.seen.filter((s) => s.body.publish === true).at(-1)!;
    assert.equal(published.body.versionDescription, 'first cut');
    const plain = await finished(deploy(file));
    assert.equal(plain.stdout, `${arn}\n`);
    const again = await finished(deploy(file, '--publish'));
    assert.equal(again.stdout, `${arn}\n${arn}:1\n`);
  });

  it('refuses an invalid machine with the message local run gives, before calling the endpoint', async () => {
    const invalid = path.join(root, 'asl/test/fixtures/validation/invalid.asl.json');
    const calls = proxy.seen.length;
    const deployed = await finished(deploy(invalid));
    const local = await finished(cli(['run', invalid]));
    assert.equal(deployed.code, 2);
    assert.equal(local.code, 2);
    assert.equal(deployed.stderr.slice(deployed.stderr.indexOf('\n')), local.stderr.slice(local.stderr.indexOf('\n')));
    assert.match(deployed.stderr, /is invalid; not deploying it/);
    assert.equal(proxy.seen.length, calls);
  });

  it('runs the ECS example to SUCCEEDED with the output and path of the local run', async () => {
    const input = path.join(ECS, 'input.json');
    const cloud = await finished(
      runAws(path.join(ECS, 'state-machine.asl.json'), '--test-case', 'HappyPath', '--input', input),
    );
    const local = await finished(
      cli([
        'run',
        path.join(ECS, 'state-machine.asl.json'),
        '--mock-config',
        path.join(ECS, 'mock-config.json'),
        '--test-case',
        'HappyPath',
        '--input',
        input,
      ]),
    );
    assert.equal(cloud.code, 0, cloud.stderr);
    assert.equal(cloud.stdout, local.stdout);
    assert.deepEqual(pathOf(cloud.stderr), [
      '▶ Run an ECS Task and wait for it to complete (Task)',
      '✔ Run an ECS Task and wait for it to complete',
    ]);
    assert.deepEqual(pathOf(cloud.stderr), pathOf(local.stderr));
  });

  it('exits 1 with the error of a failed execution; --json gives what local --json gives', async () => {
    const file = path.join(ECS, 'state-machine.asl.json');
    const input = path.join(ECS, 'input.json');
    const text = await finished(runAws(file, '--test-case', 'ContainerFails', '--input', input));
    assert.equal(text.code, 1);
    assert.match(text.stderr, /^FAILED: States\.TaskFailed$/m);
    const cloud = await finished(runAws(file, '--test-case', 'ContainerFails', '--input', input, '--json'));
    const local = await finished(
      cli([
        'run',
        file,
        '--mock-config',
        path.join(ECS, 'mock-config.json'),
        '--test-case',
        'ContainerFails',
        '--input',
        input,
        '--json',
      ]),
    );
    assert.equal(cloud.code, 1);
    assert.deepEqual(JSON.parse(cloud.stdout), JSON.parse(local.stdout));
  });

  it('reads a history longer than one page with nextToken', async () => {
    const file = fx('many-states.asl.json');
    assert.equal((await finished(deploy(file))).code, 0);
    proxy.pageSize = 2;
    try {
      const items = JSON.stringify({ items: Array.from({ length: 10 }, (_, i) => i) });
      const r = await finished(runAws(file, '--input', items, '--json', '--history'));
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { output: unknown; history: { id: number }[] };
      assert.deepEqual(out.output, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // every event once, in order, though it arrived in pages of two
      assert.deepEqual(
        out.history.map((e) => e.id),
        out.history.map((_, i) => i + 1),
      );
      assert.ok(out.history.length > 20);
      assert.ok(proxy.seen.some((s) => s.op === 'GetExecutionHistory' && typeof s.body.nextToken === 'string'));
    } finally {
      proxy.pageSize = 0;
    }
  });

  it('retries throttled requests and still succeeds', async () => {
    proxy.throttleNext = 3;
    const r = await finished(runAws(fx('many-states.asl.json'), '--input', '{"items":[1]}'));
    assert.equal(proxy.throttleNext, 0);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '[\n  1\n]\n');
  });

  it('reports a server error clearly and exits 2', async () => {
    proxy.failAll = true;
    try {
      const r = await finished(runAws(fx('many-states.asl.json')));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^run: InternalServerError: injected server failure$/m);
    } finally {
      proxy.failAll = false;
    }
  });

  it('follows an execution that ends while it is being watched', async () => {
    const file = fx('wait-then-done.asl.json');
    assert.equal((await finished(deploy(file))).code, 0);
    const from = proxy.seen.length;
    const r = await finished(runAws(file));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '{\n  "done": true\n}\n');
    assert.deepEqual(pathOf(r.stderr), ['▶ Wait a second (Wait)', '✔ Wait a second', '▶ Done (Pass)', '✔ Done']);
    const statuses = proxy.seen
      .slice(from)
      .filter((s) => s.op === 'DescribeExecution')
      .map((s) => (JSON.parse(s.response) as { status: string }).status);
    assert.equal(statuses[0], 'RUNNING');
    assert.equal(statuses.at(-1), 'SUCCEEDED');
  });

  it('stops the execution on Ctrl-C and exits 1 with ABORTED', async () => {
    const file = fx('wait-long.asl.json');
    assert.equal((await finished(deploy(file))).code, 0);
    const c = runAws(file);
    await waitFor(() => c.stderr().includes('▶ Wait an hour (Wait)'), { message: 'the Wait state to start' });
    c.child.kill('SIGINT');
    const r = await finished(c);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ABORTED/m);
    assert.ok(proxy.seen.some((s) => s.op === 'StopExecution' && s.body.error === 'AslWorkbench.Interrupted'));
  });

  it('deploys to an endpoint on this machine with no AWS credentials anywhere', async () => {
    const none = {
      ...ENV,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
      AWS_WEB_IDENTITY_TOKEN_FILE: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const r = await finished(
      cli(['deploy', path.join(ECS, 'state-machine.asl.json'), '--role-arn', ROLE, '--endpoint-url', url], none),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^arn:aws:states:us-east-1:\d{12}:stateMachine:state-machine$/m);
  });

  it('says which state machine is missing when none has that name', async () => {
    const r = await finished(runAws(fx('many-states.asl.json'), '--name', 'NeverDeployed'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /run: no state machine named 'NeverDeployed' there; deploy it first/);
  });
});
