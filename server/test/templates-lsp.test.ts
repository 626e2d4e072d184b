/**
 * State machines inside templates over the real LSP connection: diagnostics, hover,
 * completion, rename and quick fixes inside a CloudFormation YAML `Definition`, a JSON
 * `DefinitionString` (edits escaped for the JSON string) and a CDK `Fn::Join`, with every
 * position in the template's own lines; and silence everywhere else in a template, and in a
 * YAML or JSON file that holds no state machine.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyTextEdits, type TextEditLike } from './helpers/applyEdits';
import { positionOf } from './helpers/caret';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';
import {
  REPO_ROOT,
  startLspClient,
  type LspClient,
  type LspDiagnostic,
} from '../../scripts/test-helpers/lsp-client.mjs';

const CFN_YAML = fs.readFileSync(path.join(REPO_ROOT, 'examples/cloudformation/template.yaml'), 'utf8');
/** The example with a launch type ECS does not know. */
const CFN_MISTAKE = CFN_YAML.replace('LaunchType: FARGATE', 'LaunchType: FARGATEE');

const MACHINE = {
  StartAt: 'Run',
  States: {
    Run: {
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: { Cluster: '${ClusterArn}', TaskDefinition: 'run-commands', LaunchType: 'FARGATEE' },
      TimeoutSeconds: 900,
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};
/** A CloudFormation JSON template with the machine as a `DefinitionString`. */
const CFN_JSON = JSON.stringify(
  {
    Resources: {
      Flow: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: JSON.stringify(MACHINE, null, 2),
          DefinitionSubstitutions: { ClusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/main' },
        },
      },
    },
  },
  null,
  2,
);

/** What `cdk synth` writes (the definition as Fn::Join fragments), with a mistake in a fragment. */
const CDK_JSON = fs
  .readFileSync(path.join(REPO_ROOT, 'examples/cdk/cdk.out/EcsTaskStack.template.json'), 'utf8')
  .replace('\\"LaunchType\\":\\"FARGATE\\"', '\\"LaunchType\\":\\"FARGATEE\\"');

interface Item {
  label: string;
  textEdit?: TextEditLike;
  additionalTextEdits?: TextEditLike[];
  insertTextFormat?: number;
}
interface Action {
  title: string;
  edit?: { changes?: Record<string, TextEditLike[]> };
}

/** The value of `DefinitionString` in a JSON template, parsed. */
function definitionOf(template: string): unknown {
  const t = JSON.parse(template) as { Resources: Record<string, { Properties: { DefinitionString: string } }> };
  return JSON.parse(Object.values(t.Resources)[0]!.Properties.DefinitionString);
}

describe('state machines in templates over LSP', () => {
  let client: LspClient;
  let n = 0;
  before(async () => {
    client = await startLspClient();
  });
  after(async () => {
    await client.stop();
  });

  /** Opens a document under a fresh uri and returns its first diagnostics. */
  async function open(name: string, text: string, languageId: string) {
    const uri = `file:///templates-lsp/${++n}/${name}`;
    const published = client.waitForDiagnostics(uri);
    client.open(uri, text, languageId);
    return { uri, diagnostics: (await published).diagnostics };
  }

  const at = (text: string, needle: string, delta = 0) => {
    const i = text.indexOf(needle);
    assert.ok(i >= 0, `${needle} is in the text`);
    return positionOf(text, i + delta);
  };

  async function quickFix(uri: string, d: LspDiagnostic, title: string): Promise<TextEditLike[]> {
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.title === title);
    assert.ok(fix, `"${title}" among ${actions.map((a) => a.title).join(', ')}`);
    return fix.edit!.changes![uri]!;
  }

  describe('CloudFormation YAML Definition', () => {
    it('reports the ECS mistake at its line and column in the template', async () => {
      const { diagnostics } = await open('template.yaml', CFN_MISTAKE, 'yaml');
      const ecs = diagnostics.find((d) => d.code === 'ECS405');
      assert.ok(ecs, JSON.stringify(diagnostics));
      assert.match(ecs.message, /'LaunchType' must be one of FARGATE.*Did you mean 'FARGATE'\?/);
      assert.deepEqual(ecs.range.start, at(CFN_MISTAKE, 'FARGATEE'));
      assert.deepEqual(ecs.range.end, at(CFN_MISTAKE, 'FARGATEE', 'FARGATEE'.length));
      // the placeholders the template fills itself (GetAtt, Ref, pseudo parameters) are no problem
      assert.deepEqual(
        diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map((d) => d.code),
        ['ECS405'],
      );
    });

    it('applies the quick fix in the YAML', async () => {
      const { uri, diagnostics } = await open('template.yaml', CFN_MISTAKE, 'yaml');
      const ecs = diagnostics.find((d) => d.code === 'ECS405')!;
      const edits = await quickFix(uri, ecs, "Change 'FARGATEE' to 'FARGATE'");
      assert.equal(applyTextEdits(CFN_MISTAKE, edits), CFN_YAML);
    });

    it('hovers a parameter of the ECS task with its documentation', async () => {
      const { uri } = await open('template.yaml', CFN_YAML, 'yaml');
      const hover = await client.request<{ contents: { value: string }; range: unknown } | null>('textDocument/hover', {
        textDocument: { uri },
        position: at(CFN_YAML, 'NetworkConfiguration:', 3),
      });
      assert.ok(hover, 'a hover inside the definition');
      assert.match(hover.contents.value, /NetworkConfiguration/);
      assert.deepEqual(hover.range, {
        start: at(CFN_YAML, 'NetworkConfiguration:'),
        end: at(CFN_YAML, 'NetworkConfiguration:', 'NetworkConfiguration'.length),
      });
    });

    it('completes the fields of a state', async () => {
      const text = CFN_YAML.replace(
        '            TimeoutSeconds: 900\n',
        '            TimeoutSeconds: 900\n            Ret\n',
      );
      const { uri } = await open('template.yaml', text, 'yaml');
      const list = await client.request<{ items: Item[] }>('textDocument/completion', {
        textDocument: { uri },
        position: at(text, '            Ret\n', 15),
      });
      const retry = list.items.find((i) => i.label === 'Retry');
      assert.ok(retry, list.items.map((i) => i.label).join(', '));
      assert.deepEqual(retry.textEdit!.range.start, at(text, '            Ret\n', 12));
    });

    it('renames a state in the template', async () => {
      const { uri } = await open('template.yaml', CFN_YAML, 'yaml');
      const edit = await client.request<{ changes: Record<string, TextEditLike[]> }>('textDocument/rename', {
        textDocument: { uri },
        position: at(CFN_YAML, 'StartAt: Run commands', 12),
        newName: 'Run the commands',
      });
      const after = applyTextEdits(CFN_YAML, edit.changes[uri]!);
      assert.equal(after, CFN_YAML.replaceAll('Run commands', 'Run the commands'));
    });

    it('navigates, outlines and folds inside the definition', async () => {
      const { uri } = await open('template.yaml', CFN_YAML, 'yaml');
      const target = await client.request<{ range: { start: unknown } } | null>('textDocument/definition', {
        textDocument: { uri },
        position: at(CFN_YAML, 'StartAt: Run commands', 12),
      });
      assert.deepEqual(target?.range.start, at(CFN_YAML, 'Run commands:'));
      const symbols = await client.request<{ name: string; children: { name: string; range: { start: unknown } }[] }[]>(
        'textDocument/documentSymbol',
        { textDocument: { uri } },
      );
      assert.deepEqual(
        symbols.map((s) => [s.name, s.children.map((c) => [c.name, c.range.start])]),
        [['RunCommands', [['Run commands', at(CFN_YAML, 'Run commands:')]]]],
      );
      const folds = await client.request<{ startLine: number }[]>('textDocument/foldingRange', {
        textDocument: { uri },
      });
      const definitionLine = at(CFN_YAML, 'Comment: Run the commands').line;
      assert.ok(folds.length > 0 && folds.every((f) => f.startLine >= definitionLine - 1), JSON.stringify(folds));
      assert.ok(folds.some((f) => f.startLine === at(CFN_YAML, 'Parameters:\n              LaunchType').line));
    });

    it('answers nothing outside the definition', async () => {
      const { uri } = await open('template.yaml', CFN_YAML, 'yaml');
      const outside = at(CFN_YAML, 'Family: run-commands', 3);
      assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: outside }), null);
      assert.equal(await client.request('textDocument/completion', { textDocument: { uri }, position: outside }), null);
      assert.equal(await client.request('textDocument/definition', { textDocument: { uri }, position: outside }), null);
      const actions = await client.request<Action[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: outside, end: outside },
        context: { diagnostics: [] },
      });
      assert.deepEqual(actions, []);
      // the template's own formatter keeps the file
      const formatted = await client.request('textDocument/formatting', {
        textDocument: { uri },
        options: { tabSize: 2, insertSpaces: true },
      });
      assert.deepEqual(formatted, []);
    });

    it('lists the machine, its graph in template positions and its IAM policy', async () => {
      const { uri } = await open('template.yaml', CFN_YAML, 'yaml');
      const listed = await client.request<{ machines: { id: string; range: { start: unknown } }[] }>(
        'aslWorkbench/embeddedMachines',
        { uri },
      );
      assert.deepEqual(
        listed.machines.map((m) => [m.id, m.range.start]),
        [['RunCommands', at(CFN_YAML, 'Comment: Run the commands')]],
      );
      const graph = await client.request<{ graph: { nodes: { name: string; range: { offset: number } }[] } }>(
        'aslWorkbench/stateGraph',
        { uri, machine: 'RunCommands' },
      );
      const node = graph.graph.nodes.find((x) => x.name === 'Run commands')!;
      assert.equal(node.range.offset, CFN_YAML.indexOf('Run commands:'));
      const iam = await client.request<{ policy: { Statement: { Action: string[] }[] } }>('aslWorkbench/iamPolicy', {
        uri,
        machine: 'RunCommands',
      });
      assert.ok(
        iam.policy.Statement.some((s) => [s.Action].flat().includes('ecs:RunTask')),
        JSON.stringify(iam),
      );
      const lenses = await client.request<{ command: { arguments: unknown[] } }[]>('textDocument/codeLens', {
        textDocument: { uri },
      });
      assert.deepEqual(lenses[0]?.command.arguments, [uri, 'Run commands', 'RunCommands']);
    });
  });

  describe('CloudFormation JSON DefinitionString', () => {
    it('reports the mistake inside the string, and its quick fix keeps the template valid JSON', async () => {
      const { uri, diagnostics } = await open('template.json', CFN_JSON, 'json');
      const ecs = diagnostics.find((d) => d.code === 'ECS405');
      assert.ok(ecs, JSON.stringify(diagnostics));
      assert.deepEqual(ecs.range.start, at(CFN_JSON, '\\"FARGATEE\\"'));
      const edits = await quickFix(uri, ecs, "Change 'FARGATEE' to 'FARGATE'");
      const fixed = applyTextEdits(CFN_JSON, edits);
      const machine = structuredClone(MACHINE);
      machine.States.Run.Parameters.LaunchType = 'FARGATE';
      assert.deepEqual(definitionOf(fixed), machine);
    });

    it('adds a missing field escaped for the string', async () => {
      const broken = structuredClone(MACHINE) as Record<string, unknown> & typeof MACHINE;
      delete (broken.States.Done as Partial<typeof broken.States.Done>).Type;
      const text = CFN_JSON.replace(
        JSON.stringify(JSON.stringify(MACHINE, null, 2)),
        JSON.stringify(JSON.stringify(broken, null, 2)),
      );
      const { uri, diagnostics } = await open('template.json', text, 'json');
      const missing = diagnostics.find((d) => d.code === 'ASL101');
      assert.ok(missing, JSON.stringify(diagnostics.map((d) => d.message)));
      const actions = await client.request<Action[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: missing.range,
        context: { diagnostics: [missing], only: ['quickfix'] },
      });
      const add = actions.find((a) => a.title === "Add 'Type'");
      assert.ok(add, actions.map((a) => a.title).join(', '));
      const fixed = definitionOf(applyTextEdits(text, add.edit!.changes![uri]!)) as typeof MACHINE;
      assert.deepEqual(fixed.States.Done, { Type: 'Pass' });
    });

    it('completes an enum value with an edit escaped for the JSON string', async () => {
      const text = CFN_JSON.replace('\\"FARGATEE\\"', '\\"F\\"');
      const { uri } = await open('template.json', text, 'json');
      const list = await client.request<{ items: Item[] }>('textDocument/completion', {
        textDocument: { uri },
        position: at(text, '\\"F\\"', 3),
      });
      const item = list.items.find((i) => i.label.includes('FARGATE'));
      assert.ok(item, list.items.map((i) => i.label).join(', '));
      const after = applyTextEdits(text, [item.textEdit!, ...(item.additionalTextEdits ?? [])]);
      const machine = definitionOf(after) as typeof MACHINE;
      assert.equal(machine.States.Run.Parameters.LaunchType, 'FARGATE');
    });

    it('hovers a field inside the string', async () => {
      const { uri } = await open('template.json', CFN_JSON, 'json');
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position: at(CFN_JSON, '\\"TaskDefinition\\"', 4),
      });
      assert.ok(hover);
      assert.match(hover.contents.value, /TaskDefinition/);
    });

    it('renames a state with a quote in its new name, escaped twice in the template', async () => {
      const { uri } = await open('template.json', CFN_JSON, 'json');
      const edit = await client.request<{ changes: Record<string, TextEditLike[]> }>('textDocument/rename', {
        textDocument: { uri },
        position: at(CFN_JSON, '\\"Done\\"', 3),
        newName: 'All "done"',
      });
      const machine = definitionOf(applyTextEdits(CFN_JSON, edit.changes[uri]!)) as {
        States: Record<string, unknown> & { Run: { Next: string } };
      };
      assert.equal(machine.States.Run.Next, 'All "done"');
      assert.ok('All "done"' in machine.States);
    });
  });

  describe('CDK template (Fn::Join fragments)', () => {
    it('reports the mistake in its fragment and fixes it there', async () => {
      const { uri, diagnostics } = await open('Stack.template.json', CDK_JSON, 'json');
      const ecs = diagnostics.find((d) => d.code === 'ECS405');
      assert.ok(ecs, JSON.stringify(diagnostics));
      assert.deepEqual(ecs.range.start, at(CDK_JSON, '\\"FARGATEE\\"'));
      const edits = await quickFix(uri, ecs, "Change 'FARGATEE' to 'FARGATE'");
      assert.equal(applyTextEdits(CDK_JSON, edits), CDK_JSON.replace('FARGATEE', 'FARGATE'));
    });
  });

  describe('Terraform jsonencode', () => {
    const TF = fs.readFileSync(path.join(REPO_ROOT, 'examples/terraform/main.tf'), 'utf8');
    const TF_MISTAKE = TF.replace('LaunchType     = "FARGATE"', 'LaunchType     = "FARGATEE"');

    it('reports the mistake in the HCL object and fixes it there (a .tf file opened as plain text)', async () => {
      const { uri, diagnostics } = await open('main.tf', TF_MISTAKE, 'plaintext');
      const ecs = diagnostics.find((d) => d.code === 'ECS405');
      assert.ok(ecs, JSON.stringify(diagnostics));
      assert.deepEqual(ecs.range, {
        start: at(TF_MISTAKE, '"FARGATEE"'),
        end: at(TF_MISTAKE, '"FARGATEE"', '"FARGATEE"'.length),
      });
      const edits = await quickFix(uri, ecs, "Change 'FARGATEE' to 'FARGATE'");
      assert.equal(applyTextEdits(TF_MISTAKE, edits), TF);
    });

    it('hovers and completes inside the HCL object', async () => {
      const { uri } = await open('main.tf', TF, 'terraform');
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position: at(TF, 'TaskDefinition =', 3),
      });
      assert.match(hover?.contents.value ?? '', /TaskDefinition/);
      const list = await client.request<{ items: Item[] }>('textDocument/completion', {
        textDocument: { uri },
        position: at(TF, 'LaunchType     = "FARGATE"', 19),
      });
      const ec2 = list.items.find((i) => i.label === 'EC2');
      assert.ok(ec2, list.items.map((i) => i.label).join(', '));
      assert.match(applyTextEdits(TF, [ec2.textEdit!]), /LaunchType {5}= "EC2"/);
    });

    it('renames a state, escaping an interpolation sequence for HCL', async () => {
      const { uri } = await open('main.tf', TF, 'terraform');
      const edit = await client.request<{ changes: Record<string, TextEditLike[]> }>('textDocument/rename', {
        textDocument: { uri },
        position: at(TF, '"Report failed" =', 3),
        newName: 'Failed ${day}',
      });
      const after = applyTextEdits(TF, edit.changes[uri]!);
      assert.equal(
        after,
        TF.replaceAll('"Report failed"', () => '"Failed $${day}"'),
      );
    });
  });

  it('registers formatting for ASL files only, where the editor registers providers per language', async () => {
    const dynamic = await startLspClient({
      capabilities: {
        textDocument: { formatting: { dynamicRegistration: true }, rangeFormatting: { dynamicRegistration: true } },
      },
    });
    try {
      assert.equal(dynamic.initializeResult.capabilities.documentFormattingProvider, undefined);
      const registered = await waitFor(
        () => {
          const r = dynamic.serverRequests.filter((x) => x.method === 'client/registerCapability');
          const all = r.flatMap(
            (x) => (x.params as { registrations: { method: string; registerOptions: unknown }[] }).registrations,
          );
          const formatting = all.filter((x) => x.method.endsWith('ormatting'));
          return formatting.length === 2 ? formatting : undefined;
        },
        { message: 'the formatting registrations' },
      );
      assert.deepEqual(
        registered.map((x) => [x.method, x.registerOptions]),
        ['textDocument/formatting', 'textDocument/rangeFormatting'].map((method) => [
          method,
          { documentSelector: [{ language: 'asl' }, { language: 'asl-yaml' }] },
        ]),
      );
    } finally {
      await dynamic.stop();
    }
  });

  describe('files without a state machine', () => {
    it('a YAML file gets no diagnostics and no answers', async () => {
      const text = 'services:\n  web:\n    image: nginx\n    Type: Task\n';
      const { uri, diagnostics } = await open('compose.yaml', text, 'yaml');
      assert.deepEqual(diagnostics, []);
      const p = at(text, 'Type', 1);
      assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: p }), null);
      assert.equal(await client.request('textDocument/completion', { textDocument: { uri }, position: p }), null);
      assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
      assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
    });

    it('a JSON file that looks like a machine but is not in a template is left alone', async () => {
      const text = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Nope' } } }, null, 2);
      const { diagnostics } = await open('package.json', text, 'json');
      assert.deepEqual(diagnostics, []);
    });
  });
});
