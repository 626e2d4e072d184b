#!/usr/bin/env node
// State machines in Terraform files: generated chains of 500 and 2,000 states
// (scripts/bench/_generate.mjs) written as `definition = jsonencode({ … })` in HCL (bare keys,
// `=`, new-line separated, the ECS cluster as a Terraform reference). Medians, in-process:
//   find:     findTerraformMachines (HCL parse + virtual JSON with its offset map);
//   analysis: analyzeMachine on the Terraform machine (find included) against analyze() of
//             the same definition as a plain .asl.json text;
//   scaling:  find time of 2,000 states over that of 500 (linear work: about 4x).
// Targets: the Terraform analysis within 2x the plain one; scaling at most 8x.
// --smoke: one run of the 500-state file.
//   node scripts/bench/terraform.mjs [--smoke] [--runs N]
import os from 'node:os';
import { generateMachine } from './_generate.mjs';
import { flag, importFromRoot, median, option, reexecUnderTsx } from './_lib.mjs';

reexecUnderTsx(import.meta.url);
const { analyze } = await importFromRoot('asl/src/analyze.ts');
const { analyzeMachine } = await importFromRoot('asl/src/templates/index.ts');
const { findTerraformMachines } = await importFromRoot('asl/src/templates/terraform/index.ts');

const smoke = flag('--smoke');
const RUNS = flag('--runs') ? Number(option('--runs')) : smoke ? 1 : 9;
const SIZES = smoke ? [500] : [500, 2000];
const RATIO_TARGET = 2;
const SCALING_TARGET = 8;

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A JSON value written as an HCL expression, the way people write jsonencode arguments. */
function hcl(value, indent) {
  if (Array.isArray(value)) return `[${value.map((v) => hcl(v, indent)).join(', ')}]`;
  if (value && typeof value === 'object') {
    const inner = indent + '  ';
    const items = Object.entries(value).map(([k, v]) => {
      const key = IDENT.test(k) ? k : JSON.stringify(k);
      const written = k === 'Cluster' ? 'aws_ecs_cluster.jobs.arn' : hcl(v, inner);
      return `${inner}${key} = ${written}`;
    });
    return `{\n${items.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value).replace(/\$\{/g, '$${');
}

function terraformFile(n) {
  const definition = JSON.parse(generateMachine(n).text);
  return `resource "aws_ecs_cluster" "jobs" {\n  name = "jobs"\n}\n\nresource "aws_sfn_state_machine" "chain" {\n  name     = "chain"\n  role_arn = aws_iam_role.sfn.arn\n\n  definition = jsonencode(${hcl(definition, '  ')})\n}\n`;
}

function timed(fn) {
  fn();
  const xs = [];
  const cpu = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(xs), cpu: median(cpu) };
}

const rows = [];
for (const n of SIZES) {
  const host = terraformFile(n);
  const [machine] = findTerraformMachines(host, 'main.tf');
  const plain = machine.text;
  const find = timed(() => findTerraformMachines(host, 'main.tf'));
  const tf = timed(() => analyzeMachine(findTerraformMachines(host, 'main.tf')[0]).diagnostics);
  const asl = timed(() => analyze(plain, 'json').diagnostics);
  const count = analyzeMachine(machine).diagnostics.filter((d) => d.severity === 'error').length;
  rows.push({ n, bytes: host.length, find, tf, asl, count });
}

const fmt = (t) => `${t.wall.toFixed(1)} / ${t.cpu.toFixed(1)} ms`;
console.log(`\nTerraform jsonencode definitions (median of ${RUNS}; wall / CPU)`);
console.table(
  rows.map((r) => ({
    states: r.n,
    KiB: Number((r.bytes / 1024).toFixed(1)),
    find: fmt(r.find),
    'analysis (.tf)': fmt(r.tf),
    'analysis (.asl.json)': fmt(r.asl),
    ratio: Number((r.tf.cpu / r.asl.cpu).toFixed(2)),
    target: `≤ ${RATIO_TARGET}x`,
    met: r.tf.cpu / r.asl.cpu <= RATIO_TARGET ? 'yes' : 'NO',
    errors: r.count,
  })),
);
if (rows.length > 1) {
  const scaling = rows[1].find.cpu / rows[0].find.cpu;
  console.log(
    `find scaling ${rows[0].n} -> ${rows[1].n} states: ${scaling.toFixed(1)}x CPU (target ≤ ${SCALING_TARGET}x)`,
  );
}
console.log(
  `machine load average: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${os.cpus().length} CPUs`,
);
// the generated machine is valid: an error means the figures measure something else
if (rows.some((r) => r.count !== 0)) {
  console.error('the generated definitions should have no errors');
  process.exit(1);
}
