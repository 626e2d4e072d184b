/**
 * Parameter values that RunTask or the Kubernetes API server reject, with the message the user
 * reads: ResourceRequirements `Type` other than GPU / InferenceAccelerator (ECS405), and a Job
 * name longer than 63 characters (EKS505), generated at the lengths around the limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../src/analyze';
import { validateModel } from '../src/rules';

function messages(state: Record<string, unknown>): string[] {
  const text = JSON.stringify({
    StartAt: 'T',
    States: { T: { Type: 'Task', TimeoutSeconds: 600, End: true, ...state } },
  });
  return validateModel(analyze(text, 'json').model, { machineType: 'STANDARD' }).map((d) => `${d.code} ${d.message}`);
}

const runTask = (type: string) =>
  messages({
    Resource: 'arn:aws:states:::ecs:runTask.sync',
    Parameters: {
      TaskDefinition: 'trainer',
      Overrides: { ContainerOverrides: [{ Name: 'trainer', ResourceRequirements: [{ Type: type, Value: '1' }] }] },
    },
  });

const runJob = (name: string) =>
  messages({
    Resource: 'arn:aws:states:::eks:runJob.sync',
    Parameters: {
      ClusterName: 'analytics',
      CertificateAuthority: 'LS0tLS1CRUdJTi...',
      Endpoint: 'https://ABCD.gr7.eu-west-1.eks.amazonaws.com',
      Job: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
      },
    },
  });

describe('ResourceRequirements Type (ECS405)', () => {
  it('accepts GPU and InferenceAccelerator', () => {
    assert.deepEqual(runTask('GPU'), []);
    assert.deepEqual(runTask('InferenceAccelerator'), []);
  });
  it('rejects any other type, NeuronDevice included, naming the two allowed ones', () => {
    assert.deepEqual(runTask('NeuronDevice'), ["ECS405 'Type' must be one of GPU, InferenceAccelerator."]);
  });
});

describe('Kubernetes Job metadata.name (EKS505)', () => {
  it('accepts a name of 63 characters', () => {
    assert.deepEqual(runJob('a'.repeat(63)), []);
  });
  for (const length of [64, 253]) {
    it(`rejects a name of ${length} characters`, () => {
      assert.deepEqual(runJob('a'.repeat(length)), [
        `EKS505 'name' is ${length} characters long; at most 63 are allowed.`,
      ]);
    });
  }
});
