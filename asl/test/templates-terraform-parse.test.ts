import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMachine, findMachines } from '../src/templates/index';
import type { EmbeddedMachine } from '../src/templates/types';
import { findTerraformMachines } from '../src/templates/terraform/index';
import { parseHcl } from '../src/templates/terraform/hcl';
import { HEREDOC, JSONENCODE, only } from './terraformTestHost';

/** Host text of the host range a virtual range maps to. */
function hostOf(m: EmbeddedMachine, host: string, vStart: number, vEnd: number): string {
  return host.slice(m.toHost(vStart), (m.toHostEnd ?? m.toHost)(vEnd));
}

/** Line:column (1-based) and text of each diagnostic of a machine, in host terms. */
function diagnosticsAt(m: EmbeddedMachine, host: string) {
  return analyzeMachine(m).diagnostics.map((d) => {
    const lines = host.slice(0, d.offset).split('\n');
    return {
      code: d.code,
      at: `${lines.length}:${lines[lines.length - 1].length + 1}`,
      text: host.slice(d.offset, d.offset + d.length),
      message: d.message,
    };
  });
}

test('jsonencode({...}) becomes JSON with Terraform references as typed placeholders', () => {
  const m = only(JSONENCODE);
  assert.equal(m.id, 'aws_sfn_state_machine.run_task');
  assert.equal(m.hostKind, 'terraform');
  assert.equal(m.format, 'json');
  assert.deepEqual(JSON.parse(m.text), {
    Comment: 'Runs the report task',
    StartAt: 'Run report',
    States: {
      'Run report': {
        Type: 'Task',
        Resource: 'arn:${data.aws_partition.current.partition}:states:::ecs:runTask.sync',
        Parameters: {
          LaunchType: 'FARGATE',
          Cluster: '${aws_ecs_cluster.main.arn}',
          TaskDefinition: '${aws_ecs_task_definition.report.arn}',
          Overrides: { ContainerOverrides: [{ Name: 'report', 'Command.$': '$.command' }] },
        },
        TimeoutSeconds: 600,
        Next: '${var.next_state}',
      },
    },
  });
  assert.deepEqual(
    m.placeholders.map((p) => [p.name, p.kind, p.defined, m.text.slice(p.start, p.end)]),
    [
      ['data.aws_partition.current.partition', 'unknown', true, '${data.aws_partition.current.partition}'],
      ['aws_ecs_cluster.main.arn', 'arn', true, '${aws_ecs_cluster.main.arn}'],
      ['aws_ecs_task_definition.report.arn', 'arn', true, '${aws_ecs_task_definition.report.arn}'],
      ['var.next_state', 'unknown', true, '${var.next_state}'],
    ],
  );
  assert.deepEqual(m.hostDiagnostics, []);
  // the definition is the object inside jsonencode(...)
  assert.ok(JSONENCODE.slice(m.hostRange.start, m.hostRange.end).startsWith('{\n    Comment'));
});

test('virtual ranges land on the HCL tokens they come from', () => {
  const m = only(JSONENCODE);
  const at = (s: string) => {
    const i = m.text.indexOf(s);
    assert.ok(i >= 0, s);
    return hostOf(m, JSONENCODE, i, i + s.length);
  };
  assert.equal(at('"Comment"'), 'Comment');
  assert.equal(at('"Run report"'), '"Run report"');
  assert.equal(at('"FARGATE"'), '"FARGATE"');
  assert.equal(at('"${aws_ecs_cluster.main.arn}"'), 'aws_ecs_cluster.main.arn');
  assert.equal(at('"Command.$"'), '"Command.$"');
  assert.equal(at('600'), '600');
  // host -> virtual -> host
  const host = JSONENCODE.indexOf('LaunchType');
  const v = m.fromHost(host + 3)!;
  assert.equal(m.text.slice(v - 3, v + 8), 'LaunchType"');
  assert.equal(m.fromHost(0), undefined);
});

test('a rule finding inside jsonencode points at the HCL line and token', () => {
  const host = JSONENCODE.replace('Type     = "Task"', 'Type     = "Taks"');
  const found = diagnosticsAt(only(host), host).find((d) => d.text === '"Taks"');
  assert.ok(found, JSON.stringify(diagnosticsAt(only(host), host)));
  assert.equal(found.at, '14:20');
});

test('an unknown ECS parameter is reported at its bare HCL key', () => {
  const host = JSONENCODE.replace('LaunchType     = "FARGATE"', 'LaunchTyp     = "FARGATE"');
  const found = diagnosticsAt(only(host), host).find((d) => d.text === 'LaunchTyp');
  assert.ok(found);
  assert.match(found.message, /Unknown parameter 'LaunchTyp'/);
  assert.equal(found.at, '17:11');
});

test('a heredoc JSON definition: interpolations are placeholders, quoted where they stand bare', () => {
  const m = only(HEREDOC);
  const value = JSON.parse(m.text);
  assert.equal(value.States.Run.Parameters.Cluster, '${aws_ecs_cluster.main.arn}');
  assert.equal(value.States.Run.TimeoutSeconds, '${var.timeout}');
  assert.deepEqual(
    m.placeholders.map((p) => [p.name, p.kind]),
    [
      ['aws_ecs_cluster.main.arn', 'arn'],
      ['var.task_definition', 'unknown'],
      ['var.timeout', 'unknown'],
    ],
  );
  const t = m.text.indexOf('"${var.timeout}"');
  assert.equal(hostOf(m, HEREDOC, t, t + '"${var.timeout}"'.length), '${var.timeout}');
  // writing the placeholder back keeps it bare; a literal `${` is escaped for the template
  assert.equal(m.encodeEdit(t, t + 16, '"${var.timeout}"')?.text, '${var.timeout}');
  assert.equal(m.encodeEdit(t, t + 16, '"${x}"')?.text, '"$${x}"');
  // a finding inside lands on the heredoc's own line
  const host = HEREDOC.replace('"Type": "Task"', '"Type": "Tsak"');
  assert.ok(diagnosticsAt(only(host), host).some((d) => d.text === '"Tsak"' && d.at === '8:19'));
});

test('a Terraform reference a field cannot check is a note that Terraform sets it, not a DefinitionSubstitutions one', () => {
  const notes = diagnosticsAt(only(HEREDOC), HEREDOC).filter((d) => d.code === 'ASL114');
  assert.deepEqual(notes, [
    {
      code: 'ASL114',
      at: '11:29',
      text: '${var.timeout}',
      message:
        "'${var.timeout}' is set by Terraform (var.timeout); the value must satisfy: 'TimeoutSeconds' must be a positive integer. Give it a value under \"substitutions\" in asl-workbench.run.json to check it here.",
    },
  ]);
});

test('a quoted JSON string definition maps through its escapes', () => {
  const host = `resource "aws_sfn_state_machine" "q" {
  definition = "{\\"StartAt\\": \\"A\\", \\"States\\": {\\"A\\": {\\"Type\\": \\"Pass\\", \\"Next\\": \\"B\\"}}}"
}
`;
  const m = only(host);
  assert.deepEqual(JSON.parse(m.text), { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } });
  const found = diagnosticsAt(m, host).find((d) => d.text === '\\"B\\"');
  assert.ok(found, JSON.stringify(diagnosticsAt(m, host)));
  assert.equal(found.at, `2:${host.split('\n')[1].indexOf('\\"B\\"') + 1}`);
  const b = m.text.indexOf('"B"');
  assert.equal(m.encodeEdit(b, b + 3, '"A",\n "Comment": "${x}"')?.text, '\\"A\\",\\n \\"Comment\\": \\"$${x}\\"');
});

test('file() and templatefile() name the definition file, with the template variables', () => {
  const files: Record<string, string> = {
    'machine.asl.json':
      '{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${fn}", "TimeoutSeconds": ${timeout}, "Comment": "${note}", "End": true}}}',
  };
  const read = (p: string) => files[p];
  const host = `resource "aws_sfn_state_machine" "t" {
  definition = templatefile("\${path.module}/machine.asl.json", {
    fn      = aws_lambda_function.worker.arn
    timeout = 300
  })
}
resource "aws_sfn_state_machine" "f" {
  definition = file("machine.asl.json")
}
resource "aws_sfn_state_machine" "missing" {
  definition = file("\${path.module}/nope.json")
}
`;
  const [t, f, missing] = findTerraformMachines(host, 'main.tf', read);
  assert.equal(t.definitionFile, 'machine.asl.json');
  assert.deepEqual(t.substitutions, { timeout: 300 });
  assert.equal(JSON.parse(t.text).States.A.TimeoutSeconds, '${timeout}');
  assert.deepEqual(
    t.placeholders.map((p) => [p.name, p.kind, p.defined, p.origin]),
    [
      ['fn', 'arn', true, 'templatefile() variable'],
      ['timeout', 'number', true, 'templatefile() variable'],
      ['note', 'unknown', false, 'templatefile() variable'],
    ],
  );
  assert.deepEqual(
    t.hostDiagnostics.map((d) => [d.code, d.severity, d.message]),
    [
      [
        'TPL001',
        'error',
        "'${note}' in machine.asl.json has no value in the template variables of aws_sfn_state_machine.t: Terraform stops with an error.",
      ],
    ],
  );
  assert.equal(f.definitionFile, 'machine.asl.json');
  assert.equal(f.text, files['machine.asl.json']);
  assert.equal(missing.text, '');
  assert.deepEqual(
    missing.hostDiagnostics.map((d) => [d.code, d.message, host.slice(d.start, d.end)]),
    [
      [
        'TPL002',
        "The definition file 'nope.json' of aws_sfn_state_machine.missing cannot be read.",
        'file("${path.module}/nope.json")',
      ],
    ],
  );
});

test('a definition kept in a local, a YAML file through yamldecode, a template_file data source, and shapes that are not checked', () => {
  const host = `locals {
  definition = jsonencode({ StartAt = "A", States = { A = { Type = "Succeed" } } })
  alias      = local.definition
  object     = { StartAt = "B", States = { B = { Type = "Pass", End = true } } }
}
resource "aws_sfn_state_machine" "object" {
  definition = jsonencode(local.object)
}
resource "aws_sfn_state_machine" "local" {
  definition = local.alias
}
resource "aws_sfn_state_machine" "yaml" {
  definition = jsonencode(yamldecode(file("\${path.module}/machine.yaml")))
}
resource "aws_sfn_state_machine" "computed" {
  definition = data.aws_s3_object.definition.body
}
resource "aws_sfn_state_machine" "none" {
  name = "x"
}
data "template_file" "definition" {
  template = file("\${path.module}/machine.json")
  vars     = { timeout = 30 }
}
resource "aws_sfn_state_machine" "rendered" {
  definition = data.template_file.definition.rendered
}
`;
  const files: Record<string, string> = {
    'machine.yaml': 'StartAt: A\nStates:\n  A:\n    Type: Succeed\n',
    'machine.json': '{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": ${timeout}, "End": true}}}',
  };
  const [object, local, yaml, computed, none, rendered] = findTerraformMachines(host, 'main.tf', (p) => files[p]);
  assert.deepEqual(JSON.parse(object.text), { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } });
  assert.deepEqual(JSON.parse(local.text), { StartAt: 'A', States: { A: { Type: 'Succeed' } } });
  assert.ok(host.slice(local.hostRange.start, local.hostRange.end).startsWith('{ StartAt'));
  assert.equal(yaml.format, 'yaml');
  assert.equal(yaml.definitionFile, 'machine.yaml');
  assert.deepEqual(
    computed.hostDiagnostics.map((d) => [d.code, d.severity]),
    [['TPL003', 'info']],
  );
  assert.match(computed.hostDiagnostics[0].message, /computed by Terraform/);
  assert.deepEqual(
    none.hostDiagnostics.map((d) => [d.code, d.message]),
    [['TPL005', 'aws_sfn_state_machine.none has no definition.']],
  );
  assert.equal(rendered.definitionFile, 'machine.json');
  assert.deepEqual(rendered.substitutions, { timeout: 30 });
  assert.deepEqual(analyzeMachine(rendered).diagnostics, []);
});

test('variables and locals of the file: a literal default is checked as the value, a list type as a list', () => {
  const host = `variable "subnets" {
  type = list(string)
}
variable "launch_type" {
  default = "FARGAT"
}
locals {
  assign_ip = "DISABLED"
}
resource "aws_sfn_state_machine" "x" {
  definition = jsonencode({
    StartAt = "Run"
    States = {
      Run = {
        Type     = "Task"
        Resource = "arn:aws:states:::ecs:runTask.sync"
        Parameters = {
          Cluster        = aws_ecs_cluster.main.arn
          TaskDefinition = aws_ecs_task_definition.app.arn
          LaunchType     = var.launch_type
          NetworkConfiguration = {
            AwsvpcConfiguration = { Subnets = var.subnets, AssignPublicIp = local.assign_ip }
          }
        }
        TimeoutSeconds = 60
        End            = true
      }
    }
  })
}
`;
  const m = only(host);
  assert.deepEqual(m.substitutions, { 'var.launch_type': 'FARGAT', 'local.assign_ip': 'DISABLED' });
  const network = JSON.parse(m.text).States.Run.Parameters.NetworkConfiguration.AwsvpcConfiguration;
  assert.deepEqual(network.Subnets, ['${var.subnets}']);
  const found = diagnosticsAt(m, host);
  assert.deepEqual(
    found.map((d) => [d.code, d.text]),
    [['ECS405', 'var.launch_type']],
  );
  assert.match(found[0].message, /LaunchType' must be one of .* \(with var.launch_type = "FARGAT" from the template\)/);
});

test('findMachines dispatches .tf files and skips files without a state machine', () => {
  assert.equal(findMachines(JSONENCODE, 'infra/main.tf').length, 1);
  assert.deepEqual(findMachines('resource "aws_s3_bucket" "b" {}\n', 'main.tf'), []);
});

test('heredoc strings inside jsonencode keep their text; directives are noted, not evaluated', () => {
  const host = `resource "aws_sfn_state_machine" "x" {
  definition = jsonencode({
    Comment = <<-EOT
      line "one"
        two
    EOT
    StartAt = "A%{ if var.b }x%{ endif }"
    States  = {}
  })
}
`;
  const m = only(host);
  const value = JSON.parse(m.text);
  assert.equal(value.Comment, 'line "one"\n  two\n');
  assert.equal(value.StartAt, 'Ax');
  assert.deepEqual(
    m.hostDiagnostics.map((d) => [d.code, host.slice(d.start, d.end)]),
    [['TPL003', '%{ if var.b }']],
  );
});

test('malformed HCL never throws and its problems are host diagnostics of the machine', () => {
  const broken = [
    'resource "aws_sfn_state_machine" "x" {\n  definition = jsonencode({ A = "b", ',
    'resource "aws_sfn_state_machine" "x" {\n  definition = jsonencode({ A = [1, 2 }) }',
    'resource "aws_sfn_state_machine" "x" {\n  definition = <<EOF\n{"a": "${x"}\n',
    'resource "aws_sfn_state_machine" "x" {\n  definition = "unterminated\n}',
    'resource "aws_sfn_state_machine" "x" {\n  definition = jsonencode({ = = , ]] ))) "a" : })\n}',
    'resource "aws_sfn_state_machine" "x" {\n  definition = jsonencode({ a = b ? c : , d = -, e = !!! })\n}',
    'aws_sfn_state_machine ]]]] ))) }}} {{{ "',
    'resource "aws_sfn_state_machine" "x" { definition = file(',
    'resource "aws_sfn_state_machine" "x" {\n definition = templatefile("a", { x = "${"}'.repeat(3),
  ];
  for (const host of broken) {
    const ms = findTerraformMachines(host, 'main.tf', () => '{"StartAt": "A"');
    for (const m of ms) {
      assert.doesNotThrow(() => analyzeMachine(m));
      for (const d of m.hostDiagnostics) assert.ok(d.start >= 0 && d.end <= host.length && d.start <= d.end);
    }
  }
  const syntax = findTerraformMachines(broken[1], 'main.tf')[0].hostDiagnostics.filter((d) => d.code === 'TPL006');
  assert.ok(syntax.length > 0);
});

test('deep nesting and long garbage parse without exhausting the stack', () => {
  const deep = `resource "aws_sfn_state_machine" "x" {\n  definition = jsonencode(${'{a = '.repeat(50_000)}1${'}'.repeat(50_000)})\n}\n`;
  assert.equal(findTerraformMachines(deep, 'main.tf').length, 1);
  const brackets = `resource "aws_sfn_state_machine" "x" {\n  definition = ${'['.repeat(100_000)}\n}\n`;
  assert.equal(findTerraformMachines(brackets, 'main.tf').length, 1);
  const heredocs = `resource "aws_sfn_state_machine" "x" {\n  definition = ${'<<A\n${'.repeat(20_000)}\n}\n`;
  assert.equal(findTerraformMachines(heredocs, 'main.tf').length, 1);
  assert.doesNotThrow(() => parseHcl('"${'.repeat(30_000)));
  assert.doesNotThrow(() =>
    parseHcl(`a = ${'-!'.repeat(100_000)}1\nb = ${'('.repeat(100_000)}${']'.repeat(100_000)}\n`),
  );
  const prefixed = `resource "aws_sfn_state_machine" "x" {\n  definition = jsonencode({ A = ${'-'.repeat(100_000)}1 })\n}\n`;
  assert.equal(findTerraformMachines(prefixed, 'main.tf').length, 1);
});

/** A Terraform file with one jsonencode definition of `n` Task states. */
function bigFile(n: number): string {
  const states: string[] = [];
  for (let i = 0; i < n; i++)
    states.push(`      "Step ${i}" = {
        Type     = "Task"
        Resource = "arn:aws:states:::ecs:runTask.sync"
        Parameters = { Cluster = aws_ecs_cluster.main.arn, TaskDefinition = "td-${i}" } # task ${i}
        ${i + 1 < n ? `Next = "Step ${i + 1}"` : 'End = true'}
      }`);
  return `resource "aws_sfn_state_machine" "big" {\n  definition = jsonencode({\n    StartAt = "Step 0"\n    States = {\n${states.join('\n')}\n    }\n  })\n}\n`;
}

test('finding a definition grows linearly with the file (generous-multiple regression check)', () => {
  // CPU time, best of three: the machine may be busy with other work
  const time = (text: string) => {
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const c0 = process.cpuUsage();
      findTerraformMachines(text, 'main.tf');
      const c = process.cpuUsage(c0);
      best = Math.min(best, (c.user + c.system) / 1000);
    }
    return best;
  };
  const small = bigFile(500);
  const large = bigFile(8000);
  assert.ok(findTerraformMachines(large, 'main.tf')[0].text.includes('"Step 7999" : {'));
  time(small);
  const ratio = time(large) / Math.max(time(small), 1);
  // 16 times the input: linear work is 16x (the garbage collector adds to it on a large
  // heap); quadratic work would be 256x
  assert.ok(ratio < 160, `16x input took ${ratio.toFixed(1)}x the time`);
});

/** A deterministic pseudo-random sequence (mulberry32). */
