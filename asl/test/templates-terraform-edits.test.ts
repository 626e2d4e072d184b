import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMachine } from '../src/templates/index';
import { findTerraformMachines } from '../src/templates/terraform/index';
import { HEREDOC, JSONENCODE, only } from './terraformTestHost';

/** Applies a host edit. */
function apply(host: string, e: { start: number; end: number; text: string }): string {
  return host.slice(0, e.start) + e.text + host.slice(e.end);
}

test('encodeEdit writes HCL: bare keys, =, no commas at line ends, escapes and $${', () => {
  const m = only(JSONENCODE);
  const i = m.text.indexOf('"TimeoutSeconds"');
  const insert = m.encodeEdit(i, i, '"HeartbeatSeconds": 60,\n        ');
  assert.deepEqual(insert && JSONENCODE.slice(insert.start, insert.start + 14), 'TimeoutSeconds');
  assert.equal(insert?.text, 'HeartbeatSeconds = 60\n        ');
  const edited = apply(JSONENCODE, insert!);
  assert.equal(JSON.parse(only(edited).text).States['Run report'].HeartbeatSeconds, 60);

  // inside a string: HCL escapes, and `${` that is not a Terraform reference stays literal
  const f = m.text.indexOf('"FARGATE"') + 1;
  const str = m.encodeEdit(f, f + 'FARGATE'.length, 'say \\"hi\\" ${x}');
  assert.equal(str?.text, 'say \\"hi\\" $${x}');
  assert.equal(
    JSON.parse(only(apply(JSONENCODE, str!)).text).States['Run report'].Parameters.LaunchType,
    'say "hi" ${x}',
  );

  // a new object value: nested keys in HCL, a list keeps its commas
  const o = m.text.indexOf('"${var.next_state}"');
  const obj = m.encodeEdit(
    o,
    o + '"${var.next_state}"'.length,
    '{\n  "A": [1,\n 2],\n  "B c": "${aws_ecs_cluster.main.arn}"\n}',
  );
  assert.equal(obj?.text, '{\n  A = [1,\n 2]\n  "B c" = aws_ecs_cluster.main.arn\n}');
  assert.equal(JSONENCODE.slice(obj!.start, obj!.end), 'var.next_state');
});

test('encodeEdit renames a bare key, quoting it when it is no longer a name', () => {
  const m = only(JSONENCODE);
  const k = m.text.indexOf('"LaunchType"') + 1;
  assert.deepEqual(m.encodeEdit(k, k + 10, 'Launch Type'), {
    start: JSONENCODE.indexOf('LaunchType'),
    end: JSONENCODE.indexOf('LaunchType') + 10,
    text: '"Launch Type"',
  });
  const r = m.text.indexOf('"Run report"') + 1;
  const renamed = m.encodeEdit(r, r + 10, 'Run \\"x\\" ${y}');
  assert.equal(renamed?.text, 'Run \\"x\\" $${y}');
});

test('a placeholder written back is the Terraform expression; an edit cutting into one is refused', () => {
  const m = only(JSONENCODE);
  const p = m.text.indexOf('"arn:${data');
  const end = m.text.indexOf('"', p + 1) + 1;
  const e = m.encodeEdit(p + 1, end - 1, 'arn:${data.aws_partition.current.partition}:states:::ecs:runTask');
  assert.equal(e?.text, 'arn:${data.aws_partition.current.partition}:states:::ecs:runTask');
  const c = m.text.indexOf('${aws_ecs_cluster.main.arn}');
  assert.equal(m.encodeEdit(c + 3, c + 6, 'x'), undefined);
});

function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random edits of a Terraform file never throw nor map outside the definition', () => {
  const rnd = random(17);
  const pieces = [
    '{',
    '}',
    '[',
    ']',
    '(',
    ')',
    '"',
    '\\',
    '${',
    '%{',
    '$${',
    '=',
    ':',
    ',',
    '\n',
    '<<EOF\n',
    '\nEOF\n',
    '#',
    '/*',
    'x',
    ' ',
    'jsonencode(',
    'local.',
    '.arn',
  ];
  const quoted = `locals {\n  d = "{\\"StartAt\\": \\"A\\", \\"States\\": {\\"A\\": {\\"Type\\": \\"Pass\\", \\"Comment\\": \\"\${var.c} %{ if true }x%{ endif }\\", \\"End\\": true}}}"\n}\nresource "aws_sfn_state_machine" "q" {\n  definition = local.d\n}\n`;
  const seeds = [JSONENCODE, HEREDOC, quoted];
  for (let round = 0; round < 400; round++) {
    let host = seeds[round % seeds.length];
    const edits = 1 + Math.floor(rnd() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rnd() * (host.length + 1));
      const del = rnd() < 0.5 ? Math.floor(rnd() * 6) : 0;
      const ins = rnd() < 0.7 ? pieces[Math.floor(rnd() * pieces.length)] : '';
      host = host.slice(0, at) + ins + host.slice(at + del);
    }
    const ms = findTerraformMachines(host, 'main.tf', () => undefined);
    for (const m of ms) {
      const { start, end } = m.hostRange;
      assert.ok(0 <= start && start <= end && end <= host.length, `range ${start}-${end} in ${host.length}`);
      let last = -1;
      for (let v = 0; v <= m.text.length; v += 1 + Math.floor(rnd() * 7)) {
        const h = m.toHost(v);
        assert.ok(h >= start && h <= end && h >= last, `virtual ${v} -> ${h} outside ${start}-${end}`);
        last = h;
        const he = (m.toHostEnd ?? m.toHost)(v);
        assert.ok(he >= start && he <= end);
      }
      for (let k = 0; k < 20; k++) {
        const h = Math.floor(rnd() * (host.length + 1));
        const v = m.fromHost(h);
        assert.ok(v === undefined || (v >= 0 && v <= m.text.length));
        const a = Math.floor(rnd() * (m.text.length + 1));
        const b = Math.min(m.text.length, a + Math.floor(rnd() * 10));
        const edit = m.encodeEdit(a, b, rnd() < 0.5 ? '"X": "${y}",\n' : 'z"\\');
        if (edit) assert.ok(edit.start >= start && edit.end <= end && edit.start <= edit.end);
      }
      for (const d of analyzeMachine(m).diagnostics) assert.ok(d.offset >= 0 && d.offset + d.length <= host.length);
    }
  }
});
