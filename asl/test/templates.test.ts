/**
 * State machines inside CloudFormation, SAM and CDK templates (asl/src/templates): finding
 * them, the offset maps between the definition and the template (JSON escapes, YAML block
 * scalars, Fn::Join fragments), edits written back into the template, placeholders and the
 * diagnostics of a definition at the template's own positions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeMachine, findMachines, iamModelOf, mayHoldMachines } from '../src/templates';
import type { EmbeddedMachine } from '../src/templates';
import { createLineIndex } from '../src/parse/lines';
import { policyForMachine } from '../src/iam';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '../..');
const read = (p: string) => fs.readFileSync(path.join(REPO, p), 'utf8');
const FIXTURES = 'asl/test/fixtures/templates';

function only(host: string, file: string, readFile?: (p: string) => string | undefined): EmbeddedMachine {
  const found = findMachines(host, file, readFile);
  assert.equal(found.length, 1, `one machine in ${file}`);
  return found[0];
}

/** line:column (1-based) of a host offset. */
function at(host: string, offset: number): string {
  const p = createLineIndex(host).positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

function apply(host: string, e: { start: number; end: number; text: string }): string {
  return host.slice(0, e.start) + e.text + host.slice(e.end);
}

/** Every virtual character maps to host text that decodes back to it, and back again. */
function assertRoundTrip(m: EmbeddedMachine, decode: (hostSlice: string) => string, host: string): void {
  for (let v = 0; v < m.text.length; v++) {
    const h = m.toHost(v);
    assert.ok(h >= m.hostRange.start && h <= m.hostRange.end, `offset ${v} maps inside the definition`);
    assert.equal(m.fromHost(h), v, `fromHost(toHost(${v}))`);
    const slice = host.slice(h, m.toHostEnd!(v + 1));
    const c = m.text[v];
    // a surrogate pair written as one escape: each half maps to the whole escape
    if (c >= '\uD800' && c <= '\uDFFF') continue;
    assert.equal(decode(slice), c, `virtual ${v} ${JSON.stringify(c)} <- host ${JSON.stringify(slice)}`);
  }
}

describe('templates: which files hold state machines', () => {
  it('a plain definition or a template without a state machine holds none', () => {
    const asl = read('examples/ecs-run-task-sync/state-machine.asl.json');
    assert.equal(mayHoldMachines('state-machine.asl.json', asl), false);
    assert.deepEqual(findMachines(asl, 'state-machine.asl.json'), []);
    const bucketOnly = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n';
    assert.deepEqual(findMachines(bucketOnly, 'template.yaml'), []);
  });

  it('finds every state machine of a SAM template by logical id', () => {
    const host = read('examples/sam/template.yaml');
    const found = findMachines(host, 'examples/sam/template.yaml', (p) => read(path.join('examples/sam', p)));
    assert.deepEqual(
      found.map((m) => [m.id, m.hostKind, m.format, m.definitionFile]),
      [
        ['RunCommands', 'sam', 'json', 'statemachine/run-commands.asl.json'],
        ['StartReport', 'sam', 'yaml', undefined],
      ],
    );
  });

  it('takes a CDK template for CDK output', () => {
    const file = 'examples/cdk/cdk.out/EcsTaskStack.template.json';
    const m = only(read(file), file);
    assert.equal(m.id, 'StateMachine2E01A3A5');
    assert.equal(m.hostKind, 'cdk');
  });
});

describe('templates: YAML Definition mapping (identity map)', () => {
  const file = 'examples/cloudformation/template.yaml';
  const host = read(file);
  const m = only(host, file);

  it('is the template text itself with everything else blanked', () => {
    assert.equal(m.format, 'yaml');
    assert.equal(m.text.length, host.length);
    // !Sub keeps its string, !Ref becomes a placeholder of the same length
    const expected = host
      .slice(m.hostRange.start, m.hostRange.end)
      .replace('!Sub ', '     ')
      .replace('!Ref SubnetId', '"${SubnetId}"');
    assert.equal(m.text.slice(m.hostRange.start, m.hostRange.end), expected);
    assert.equal(m.text.slice(0, m.hostRange.start).trim(), '');
    assert.ok(host.slice(m.hostRange.start).startsWith('Comment: Run the commands'));
  });

  it('types the placeholders: Ref and GetAtt of DefinitionSubstitutions, a pseudo parameter, a literal', () => {
    assert.deepEqual(
      m.placeholders.map((p) => [p.name, p.kind, p.defined, p.origin]),
      [
        ['AWS::Partition', 'string', true, 'pseudo parameter'],
        ['ClusterArn', 'arn', true, 'DefinitionSubstitutions (Fn::GetAtt)'],
        ['TaskDefinitionArn', 'arn', true, 'DefinitionSubstitutions (Ref)'],
        ['SubnetId', 'string', true, 'Ref'],
        ['ContainerName', 'string', true, 'DefinitionSubstitutions'],
      ],
    );
    assert.deepEqual(m.substitutions, { ContainerName: 'worker' });
    assert.deepEqual(m.hostDiagnostics, []);
  });

  it('validates clean: the ARN placeholders satisfy ARN fields and the Resource is still ecs:runTask.sync', () => {
    const { analysis, diagnostics } = analyzeMachine(m);
    assert.deepEqual(diagnostics, []);
    assert.equal(analysis!.model.states[0].resource?.key, 'ecs:runTask');
    assert.equal(analysis!.model.states[0].resource?.pattern, 'sync');
  });

  it('edits the template in place, except a rewritten intrinsic', () => {
    const v = m.text.indexOf('TimeoutSeconds: 900');
    assert.deepEqual(m.encodeEdit(v + 16, v + 19, '600'), { start: v + 16, end: v + 19, text: '600' });
    const ref = host.indexOf('!Ref SubnetId');
    assert.equal(m.encodeEdit(ref + 2, ref + 4, 'x'), undefined);
  });

  it('IAM names the placeholders and the pseudo parameters', () => {
    const { model, context, restore } = iamModelOf(m);
    const policy = restore(policyForMachine(model, context));
    const resources = policy.Statement.flatMap((s) => s.Resource);
    assert.ok(resources.includes('${TaskDefinitionArn}'), JSON.stringify(resources));
    assert.ok(
      resources.includes(
        'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForECSTaskRule',
      ),
      JSON.stringify(resources),
    );
  });

  it('reports an ECS mistake at the template line and column', () => {
    const broken = host.replace('LaunchType: FARGATE\n', 'LaunchType: FARGAT\n');
    const [d] = analyzeMachine(only(broken, file)).diagnostics;
    assert.equal(d.code, 'ECS405');
    assert.equal(broken.slice(d.offset, d.offset + d.length), 'FARGAT');
    assert.equal(at(broken, d.offset), '56:27');
  });
});

describe('templates: DefinitionString as a JSON string (escapes)', () => {
  const file = `${FIXTURES}/escapes.template.json`;
  const host = read(file);
  const m = only(host, file);

  it('decodes the string and maps each character onto its escape', () => {
    assert.equal(m.format, 'json');
    assert.ok(m.text.includes('"Comment": "café \\"quoted\\" back\\\\slash"'));
    assertRoundTrip(m, (s) => JSON.parse(`"${s}"`), host);
    const e = m.text.indexOf('é');
    assert.equal(host.slice(m.toHost(e), m.toHostEnd!(e + 1)), '\\u00e9');
    // inside an escape, the host offset maps to the escaped character
    assert.equal(m.fromHost(m.toHost(e) + 3), e);
    assert.equal(m.fromHost(0), undefined);
  });

  it('escapes an edit for the JSON string and the result reads back', () => {
    const v = m.text.indexOf('FARGAT');
    const edit = m.encodeEdit(v, v + 6, 'FARGATE", "Tag": "a\\b\nc é')!;
    assert.equal(edit.text, 'FARGATE\\", \\"Tag\\": \\"a\\\\b\\nc é');
    assert.equal(host.slice(edit.start, edit.end), 'FARGAT');
    const after = only(apply(host, edit), file);
    assert.equal(after.text, m.text.slice(0, v) + 'FARGATE", "Tag": "a\\b\nc é' + m.text.slice(v + 6));
  });

  it('reports the ECS mistake and the undefined placeholder inside the string', () => {
    const { diagnostics } = analyzeMachine(m);
    const lines = diagnostics.map((d) => `${d.code} ${JSON.stringify(host.slice(d.offset, d.offset + d.length))}`);
    assert.ok(lines.includes('ECS405 "\\\\\\"FARGAT\\\\\\""'), lines.join('\n'));
    assert.ok(lines.includes('TPL001 "${Missing}"'), lines.join('\n'));
    const undefinedOne = diagnostics.find((d) => d.code === 'TPL001')!;
    assert.equal(undefinedOne.severity, 'warning');
    assert.equal(
      undefinedOne.message,
      "'${Missing}' is not defined in DefinitionSubstitutions of Machine: Step Functions would receive it as it is.",
    );
  });
});

describe('templates: DefinitionString as !Sub with a block literal', () => {
  const file = `${FIXTURES}/sub-block.template.yaml`;
  const host = read(file);
  const m = only(host, file);

  it('is the block content without its indentation, ${!Name} written as ${Name}', () => {
    assert.ok(m.text.startsWith('{\n  "StartAt": "Run",\n'));
    assert.ok(m.text.includes('"Subnets": ["${Subnet}"]'));
    for (let v = 0; v < m.text.length; v++) assert.equal(m.fromHost(m.toHost(v)), v, `offset ${v}`);
    const sub = m.text.indexOf('${Subnet}');
    assert.equal(host.slice(m.toHost(sub), m.toHostEnd!(sub + '${Subnet}'.length)), '${!Subnet}');
    const v = m.text.indexOf('"States"');
    assert.equal(at(host, m.toHost(v)), '15:11');
    assert.equal(m.fromHost(m.toHost(v)), v);
  });

  it('resolves Fn::Sub names against the template and the substitutions', () => {
    assert.deepEqual(
      m.placeholders.map((p) => [p.name, p.kind, p.origin]),
      [
        ['AWS::Partition', 'string', 'pseudo parameter'],
        ['Cluster.Arn', 'arn', 'Fn::GetAtt'],
        ['TaskDef', 'arn', 'Ref'],
        ['Subnet', 'string', 'DefinitionSubstitutions'],
      ],
    );
  });

  it('indents an inserted line for the block', () => {
    const v = m.text.indexOf('"TimeoutSeconds"');
    const edit = m.encodeEdit(v, v, '"Comment": "x",\n      ')!;
    // the block's own indentation (8) before the definition's (6)
    assert.equal(edit.text, '"Comment": "x",\n' + ' '.repeat(14));
    const after = only(apply(host, edit), file);
    assert.equal(after.text, m.text.slice(0, v) + '"Comment": "x",\n      ' + m.text.slice(v));
  });

  it('reports an undefined Fn::Sub name as an error at its place in the template', () => {
    const broken = host.replace('${TaskDef}', '${TaskDefinition}');
    const d = only(broken, file).hostDiagnostics.find((x) => x.code === 'TPL001')!;
    assert.equal(d.severity, 'error');
    assert.equal(broken.slice(d.start, d.end), '${TaskDefinition}');
    assert.equal(at(broken, d.start), '21:36');
    assert.match(d.message, /^'\$\{TaskDefinition\}' in Fn::Sub is neither a template parameter/);
  });

  it('reports the ECS mistake at the template position', () => {
    const d = analyzeMachine(m).diagnostics.find((x) => x.code === 'ECS405')!;
    assert.equal(host.slice(d.offset, d.offset + d.length), '"FARGAT"');
    assert.equal(at(host, d.offset), '22:31');
  });
});

describe('templates: DefinitionString as a YAML quoted scalar', () => {
  const head =
    'Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: ';

  it('decodes a double-quoted scalar with escapes and a folded line break', () => {
    const host =
      head +
      '"{\\"StartAt\\": \\"P\\", \\"Comment\\": \\"caf\\u00e9\\",\n        \\"States\\": {\\"P\\": {\\"Type\\": \\"Pass\\", \\"End\\": true}}}"\n';
    const m = only(host, 't.yaml');
    assert.equal(m.text, '{"StartAt": "P", "Comment": "café", "States": {"P": {"Type": "Pass", "End": true}}}');
    assert.deepEqual(m.hostDiagnostics, []);
    for (let v = 0; v < m.text.length; v++) assert.equal(m.fromHost(m.toHost(v)), v);
    const fold = m.text.indexOf(', "States"') + 1;
    assert.equal(host.slice(m.toHost(fold), m.toHostEnd!(fold + 1)), '\n        ');
    const e = m.text.indexOf('é');
    assert.equal(host.slice(m.toHost(e), m.toHostEnd!(e + 1)), '\\u00e9');
    const edit = m.encodeEdit(e, e + 1, 'e"');
    assert.equal(edit?.text, 'e\\"');
  });

  it("decodes a single-quoted scalar ('' for a quote) and refuses a line break in an edit", () => {
    const host = head + '\'{"StartAt": "P", "Comment": "it\'\'s", "States": {"P": {"Type": "Pass", "End": true}}}\'\n';
    const m = only(host, 't.yaml');
    assert.ok(m.text.includes('"Comment": "it\'s"'));
    const q = m.text.indexOf("'");
    assert.equal(host.slice(m.toHost(q), m.toHostEnd!(q + 1)), "''");
    assert.equal(m.encodeEdit(q, q + 1, "'")?.text, "''");
    assert.equal(m.encodeEdit(q, q + 1, '\n'), undefined);
    assert.deepEqual(analyzeMachine(m).diagnostics, []);
  });
});

describe('templates: CDK Fn::Join fragments', () => {
  const file = 'examples/cdk/cdk.out/EcsTaskStack.template.json';
  const host = read(file);
  const m = only(host, file);

  it('joins the fragments, Ref and Fn::GetAtt becoming typed placeholders', () => {
    assert.ok(m.text.startsWith('{"StartAt":"Run commands"'));
    assert.ok(m.text.includes('"Resource":"arn:${AWS::Partition}:states:::ecs:runTask.sync"'));
    assert.deepEqual(
      m.placeholders.map((p) => [p.name, p.kind, p.origin]),
      [
        ['AWS::Partition', 'string', 'pseudo parameter'],
        ['ClusterEB0386A7.Arn', 'arn', 'Fn::GetAtt'],
        ['TaskDef54694570', 'arn', 'Ref'],
        ['SubnetId', 'string', 'Ref'],
      ],
    );
    const p = m.placeholders[1];
    assert.equal(
      host.slice(m.toHost(p.start), m.toHostEnd!(p.end)).replace(/\s+/g, ' '),
      '{ "Fn::GetAtt": ["ClusterEB0386A7", "Arn"] }',
    );
  });

  it('maps every character back, a placeholder to its first character', () => {
    for (let v = 0; v < m.text.length; v++) {
      const p = m.placeholders.find((x) => x.start <= v && v < x.end);
      assert.equal(m.fromHost(m.toHost(v)), p ? p.start : v, `offset ${v}`);
    }
  });

  it('edits inside a fragment, never inside a Ref or across two fragments', () => {
    const v = m.text.indexOf('FARGATE');
    const e = m.encodeEdit(v, v + 7, 'EC2')!;
    assert.equal(host.slice(e.start, e.end), 'FARGATE');
    const p = m.placeholders[1];
    assert.equal(m.encodeEdit(p.start + 1, p.start + 3, 'x'), undefined);
    assert.equal(m.encodeEdit(p.start - 2, p.end + 2, 'x'), undefined);
  });

  it('validates clean and points a mistake at its fragment', () => {
    assert.deepEqual(analyzeMachine(m).diagnostics, []);
    const broken = host.replace('\\"LaunchType\\":\\"FARGATE\\"', '\\"LaunchType\\":\\"FARGAT\\"');
    const [d] = analyzeMachine(only(broken, file)).diagnostics;
    assert.equal(d.code, 'ECS405');
    assert.equal(broken.slice(d.offset, d.offset + d.length), '\\"FARGAT\\"');
  });
});

describe('templates: definitions in other files and other shapes', () => {
  it('reads DefinitionUri through the caller and reports an unreadable one', () => {
    const host = read('examples/sam/template.yaml');
    const [m] = findMachines(host, 'template.yaml', () => undefined);
    assert.equal(m.text, '');
    assert.deepEqual(
      m.hostDiagnostics.map((d) => [d.code, d.severity, host.slice(d.start, d.end), d.message]),
      [
        [
          'TPL002',
          'error',
          'statemachine/run-commands.asl.json',
          "The definition file 'statemachine/run-commands.asl.json' of RunCommands cannot be read.",
        ],
      ],
    );
    assert.deepEqual(
      analyzeMachine(m).diagnostics.map((d) => d.code),
      ['TPL002'],
    );
  });

  it('says an S3 definition is not checked', () => {
    const host =
      'Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionS3Location:\n        Bucket: b\n        Key: k.json\n';
    const [m] = findMachines(host, 't.yaml');
    assert.deepEqual(
      m.hostDiagnostics.map((d) => [d.code, d.severity]),
      [['TPL003', 'info']],
    );
  });

  it('takes Fn::Sub variables as values and a JSON Definition object as is', () => {
    const host = JSON.stringify(
      {
        Resources: {
          M: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              Definition: {
                StartAt: 'P',
                States: {
                  P: {
                    Type: 'Pass',
                    Result: { 'Fn::Sub': ['${Greeting} ${AWS::Region}', { Greeting: 'hi' }] },
                    End: true,
                  },
                },
              },
            },
          },
        },
      },
      null,
      2,
    );
    const m = only(host, 't.json');
    assert.deepEqual(m.substitutions, { Greeting: 'hi' });
    assert.deepEqual(
      m.placeholders.map((p) => [p.name, p.origin]),
      [
        ['Greeting', 'Fn::Sub variable'],
        ['AWS::Region', 'pseudo parameter'],
      ],
    );
    assert.deepEqual(analyzeMachine(m).diagnostics, []);
  });

  it('joins !Join lines with its delimiter, each line editable where it is', () => {
    const host = [
      'Resources:',
      '  M:',
      '    Type: AWS::StepFunctions::StateMachine',
      '    Properties:',
      '      DefinitionString: !Join',
      '        - "\\n"',
      '        - - \'{"StartAt": "P",\'',
      '          - \'"States": {"P": {"Type": "Pass", "End": true}}}\'',
      '',
    ].join('\n');
    const m = only(host, 't.yaml');
    assert.equal(m.text, '{"StartAt": "P",\n"States": {"P": {"Type": "Pass", "End": true}}}');
    const nl = m.text.indexOf('\n');
    assert.equal(m.encodeEdit(nl, nl + 1, ' '), undefined);
    const v = m.text.indexOf('Pass');
    const e = m.encodeEdit(v, v + 4, "Succeed's")!;
    assert.equal(host.slice(e.start, e.end), 'Pass');
    assert.equal(e.text, "Succeed''s");
    assert.deepEqual(analyzeMachine(m).diagnostics, []);
  });

  it('reads a placeholder outside any JSON string as a whole value, its value keeping its type', () => {
    const host = [
      'Resources:',
      '  M:',
      '    Type: AWS::StepFunctions::StateMachine',
      '    Properties:',
      '      DefinitionString: !Sub',
      '        - |',
      '          {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${Delay}, "End": true}}}',
      '        - Delay: 5',
      '',
    ].join('\n');
    const m = only(host, 't.yaml');
    assert.equal(m.text, '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": "${Delay}", "End": true}}}\n');
    const p = m.placeholders[0];
    assert.deepEqual([p.name, p.kind, p.origin], ['Delay', 'number', 'Fn::Sub variable']);
    assert.equal(host.slice(m.toHost(p.start), m.toHostEnd!(p.end)), '${Delay}');
    assert.deepEqual(analyzeMachine(m).diagnostics, []);
    // the quotes are not the template's: no edit covers them
    assert.equal(m.encodeEdit(p.start - 1, p.end + 1, '10'), undefined);
    assert.deepEqual(m.encodeEdit(p.start, p.end, '10'), {
      start: m.toHost(p.start),
      end: m.toHost(p.start) + '${Delay}'.length,
      text: '10',
    });
    const broken = host.replace('Delay: 5', "Delay: 'soon'");
    const [d] = analyzeMachine(only(broken, 't.yaml')).diagnostics;
    assert.equal(d.code, 'ASL104');
    assert.equal(broken.slice(d.offset, d.offset + d.length), '${Delay}');
  });

  it('maps a folded block scalar roughly and says so', () => {
    const host =
      'Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: >\n        {"StartAt": "P",\n        "States": {"P": {"Type": "Pass", "End": true}}}\n';
    const m = only(host, 't.yaml');
    assert.equal(m.text, '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}\n');
    assert.deepEqual(
      m.hostDiagnostics.map((d) => d.code),
      ['TPL004'],
    );
    assert.equal(m.encodeEdit(1, 2, 'x'), undefined);
    assert.equal(m.toHost(5), m.hostRange.start);
  });
});
