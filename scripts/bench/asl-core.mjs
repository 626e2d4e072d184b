#!/usr/bin/env node
// Parse + model time of the pure core (asl/src/parse, asl/src/model) on generated machines of
// N = 1,000 and 5,000 states (Task/Pass, a Choice every 10, a Parallel with 2 branches every
// 50), JSON and YAML, next to JSON.parse and jsonc-parser as baselines. Prints medians.
//   node scripts/bench/asl-core.mjs [--smoke] [--json]
import { flag, importFromRoot as mod, reexecUnderTsx } from './_lib.mjs';

reexecUnderTsx(import.meta.url);
const { parseDocument } = await mod('asl/src/parse/index.ts');
const { buildModel } = await mod('asl/src/model.ts');
const { policyForMachine } = await mod('asl/src/iam/index.ts');
const jsonc = await import('jsonc-parser');
const YAML = await import('yaml');

const smoke = flag('--smoke');
const RUNS = smoke ? 3 : 25;

function task(i, next) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::ecs:runTask.sync',
    Parameters: {
      Cluster: 'batch',
      TaskDefinition: `job-${i % 7}:3`,
      Overrides: {
        ContainerOverrides: [
          { Name: 'app', 'Command.$': '$.commands', Environment: [{ Name: 'STEP', Value: String(i) }] },
        ],
      },
    },
    ResultPath: `$.results.s${i}`,
    Retry: [{ ErrorEquals: ['ECS.AmazonECSException'], MaxAttempts: 2 }],
    Next: next,
  };
}

/** The machine shape of the benchmark. */
export function generate(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    const name = `S${i}`;
    const next = i + 1 < n ? `S${i + 1}` : 'Done';
    if (i % 50 === 49) {
      States[name] = {
        Type: 'Parallel',
        Branches: [0, 1].map((b) => ({
          StartAt: `P${i}b${b}`,
          States: { [`P${i}b${b}`]: { Type: 'Pass', End: true } },
        })),
        Next: next,
      };
    } else if (i % 10 === 9) {
      States[name] = {
        Type: 'Choice',
        Choices: [{ Variable: '$.flag', BooleanEquals: true, Next: next }],
        Default: next,
      };
    } else if (i % 2) States[name] = { Type: 'Pass', Result: { i }, ResultPath: '$.last', Next: next };
    else States[name] = task(i, next);
  }
  States.Done = { Type: 'Succeed' };
  return { Comment: `benchmark machine, ${n} states`, StartAt: 'S0', States };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
function time(fn) {
  fn();
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const rows = [];
for (const n of smoke ? [1000] : [1000, 5000]) {
  const json = JSON.stringify(generate(n), null, 2);
  const yaml = YAML.stringify(generate(n));
  const doc = parseDocument(json, 'json');
  const model = buildModel(doc);
  rows.push({
    states: n,
    jsonBytes: json.length,
    'JSON.parse ms': time(() => JSON.parse(json)),
    'jsonc parseTree ms': time(() => jsonc.parseTree(json, [])),
    'parseDocument json ms': time(() => parseDocument(json, 'json')),
    'buildModel ms': time(() => buildModel(doc)),
    'policyForMachine ms': time(() => policyForMachine(model)),
    'parseDocument yaml ms': time(() => parseDocument(yaml, 'yaml')),
  });
}
if (flag('--json')) console.log(JSON.stringify(rows, null, 2));
else {
  for (const r of rows)
    for (const k of Object.keys(r)) if (typeof r[k] === 'number' && k.endsWith('ms')) r[k] = Number(r[k].toFixed(2));
  console.table(rows);
}
