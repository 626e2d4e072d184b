#!/usr/bin/env node
// Throughput of the pure data-flow core (asl/src/paths, asl/src/jsonata): JSONPath payload
// templates with intrinsics, InputPath/ResultPath/OutputPath, JSONata expressions/templates.
//   node scripts/bench/dataflow.mjs [--smoke] [--json]
// Context: the interpreter targets >= 150k transitions/s, so each step here must stay well above.
import { flag, importFromRoot as mod, reexecUnderTsx } from './_lib.mjs';

reexecUnderTsx(import.meta.url);
const P = await mod('asl/src/paths/index.ts');
const J = await mod('asl/src/jsonata/index.ts');

const N = flag('--smoke') ? 5_000 : 200_000;
const host = { hash: () => 'h', uuid: () => '00000000-0000-4000-8000-000000000000', random: () => 0.5 };
const input = { order: { id: 'o-1', items: [1, 2, 3], customer: { name: 'x', tier: 'gold' } }, meta: { a: 1 } };
const context = { Task: { Token: 't' }, Execution: { Name: 'n' } };
const template = {
  'Id.$': '$.order.id',
  'Token.$': '$$.Task.Token',
  'Label.$': "States.Format('{}-{}', $.order.id, $.order.customer.tier)",
  Static: { a: 1 },
  'Count.$': 'States.ArrayLength($.order.items)',
};
const bindings = { states: { input, context }, variables: { v: 1 } };
const jsonataTemplate = {
  a: '{% $states.input.order.id %}',
  b: 'literal',
  c: { d: '{% $count($states.input.order.items) + $v %}' },
};

async function measure(name, fn, isAsync = false) {
  const warm = Math.min(N, 10_000);
  if (isAsync) for (let i = 0; i < warm; i++) await fn();
  else for (let i = 0; i < warm; i++) fn();
  const t0 = performance.now();
  if (isAsync) for (let i = 0; i < N; i++) await fn();
  else for (let i = 0; i < N; i++) fn();
  const ms = performance.now() - t0;
  return { name, opsPerSec: Math.round((N / ms) * 1000) };
}

const results = [
  await measure('JSONPath template (5 keys, 2 intrinsics)', () =>
    P.evaluatePayloadTemplate(template, { input, context }, host),
  ),
  await measure('InputPath + ResultPath + OutputPath', () =>
    P.selectPath(P.applyResultPath(P.selectPath(input, '$.order'), '$.r', 1), '$.r'),
  ),
  await measure('filter path $.items[?(@.p > 1)].id', () =>
    P.evaluateJsonPath(P.parseJsonPathCached('$.items[?(@.p > 1)].id').value, {
      input: {
        items: [
          { p: 1, id: 'a' },
          { p: 2, id: 'b' },
        ],
      },
      context,
    }),
  ),
  await measure(
    'JSONata expression',
    () => J.evaluateJsonata("{% $states.input.order.id & '-' & $v %}", bindings, host),
    true,
  ),
  await measure(
    'JSONata template (2 expressions)',
    () => J.evaluateJsonataTemplate(jsonataTemplate, bindings, host),
    true,
  ),
];
if (flag('--json')) console.log(JSON.stringify(results));
else for (const r of results) console.log(`${r.name.padEnd(44)} ${String(r.opsPerSec).padStart(10)} ops/s`);
