/**
 * What a deployment sends and under which name (runner/src/aws/deployment.ts), as the CLI's
 * `deploy` and the extension's Deploy to AWS both use it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  aliasNameProblem,
  deployedDefinition,
  deployedName,
  roleArnProblem,
  stateMachineNameProblem,
} from '../src/aws/deployment';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-deployment-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('deployment name and definition', () => {
  it('names the state machine: the given name, else the run config, else the template id, else the file', () => {
    const plain = path.join(dir, 'plain', 'order-flow.asl.yaml');
    fs.mkdirSync(path.dirname(plain), { recursive: true });
    assert.equal(deployedName(plain, {}, undefined), 'order-flow');
    assert.equal(deployedName(plain, {}, { id: 'OrderFlow' }), 'OrderFlow');
    assert.equal(deployedName(plain, { name: 'given' }, { id: 'OrderFlow' }), 'given');
    const configured = path.join(dir, 'configured', 'machine.asl.json');
    fs.mkdirSync(path.dirname(configured), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'configured', 'asl-workbench.run.json'),
      JSON.stringify({ execution: { stateMachineName: 'from-config' } }),
    );
    assert.equal(deployedName(configured, {}, { id: 'OrderFlow' }), 'from-config');
  });

  it('sends JSON with the placeholders replaced by their values, a number staying a number', () => {
    const yaml = [
      'StartAt: Wait',
      'States:',
      '  Wait:',
      '    Type: Wait',
      '    Seconds: ${Delay}',
      '    Next: Done',
      '  Done:',
      '    Type: Pass',
      '    Result: "in ${Stage}"',
      '    End: true',
    ].join('\n');
    const json = deployedDefinition(yaml, 'yaml', { Delay: 5, Stage: 'prod' });
    assert.deepEqual(JSON.parse(json), {
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Wait', Seconds: 5, Next: 'Done' },
        Done: { Type: 'Pass', Result: 'in prod', End: true },
      },
    });
  });

  it('tells why a name, role ARN or alias cannot be used', () => {
    assert.equal(stateMachineNameProblem('order-flow_2'), undefined);
    assert.match(stateMachineNameProblem('order flow') ?? '', /white space/);
    assert.match(stateMachineNameProblem('x'.repeat(81)) ?? '', /1 to 80/);
    assert.equal(roleArnProblem('arn:aws:iam::123456789012:role/service-role/StepFunctions-Run'), undefined);
    assert.equal(roleArnProblem('arn:aws-us-gov:iam::123456789012:role/Run'), undefined);
    assert.match(roleArnProblem('arn:aws:iam::1234:role/Run') ?? '', /12-digit/);
    assert.match(roleArnProblem('arn:aws:iam::123456789012:user/me') ?? '', /role/);
    assert.equal(aliasNameProblem('prod'), undefined);
    assert.match(aliasNameProblem('12') ?? '', /only digits/);
    assert.match(aliasNameProblem('a b') ?? '', /letters, digits/);
  });
});
