/**
 * Diagnostics read as instructions: one diagnostic per cause, items named by their path,
 * what a value must be next to what it is, and how to take a value from the input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../src/analyze';
import { validateModel } from '../src/rules';

function messages(text: string, format: 'json' | 'yaml' = 'json'): string[] {
  return validateModel(analyze(text, format).model, { machineType: 'STANDARD' }).map((d) => `${d.code} ${d.message}`);
}

const runTask = (parameters: string) => `StartAt: Run
States:
  Run:
    Type: Task
    Resource: arn:aws:states:::ecs:runTask
    Parameters:
      TaskDefinition: job
${parameters}
    End: true
`;

describe('diagnostic messages', () => {
  it('a single state that only lacks End is reported once, by ASL106 (not also as a loop)', () => {
    assert.deepEqual(messages('StartAt: Report\nStates:\n  Report:\n    Type: Pass\n', 'yaml'), [
      `ASL106 State 'Report' needs either 'Next' or "End": true.`,
    ]);
  });

  it('a machine that really loops still gets ASL110', () => {
    const loop = 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n  B:\n    Type: Pass\n    Next: A\n';
    assert.ok(messages(loop, 'yaml').some((m) => m.startsWith('ASL110 ')));
  });

  it('a list item missing a required parameter is named by its path', () => {
    const text = runTask('      CapacityProviderStrategy:\n        - Weight: 1');
    assert.deepEqual(messages(text, 'yaml'), [
      "ECS404 'CapacityProviderStrategy[0]' is missing required parameter: CapacityProvider.",
    ]);
  });

  it('an empty Job says what it must be and that it is empty', () => {
    const text = `StartAt: Run
States:
  Run:
    Type: Task
    Resource: arn:aws:states:::eks:runJob
    Parameters:
      ClusterName: c
      CertificateAuthority: ca
      Endpoint: https://example.com
      Job:
    End: true
`;
    assert.deepEqual(messages(text, 'yaml'), ["EKS505 'Job' must be an object or a string, but it is empty (null)."]);
  });

  it('a path given to a key without .$ says how to take it from the input', () => {
    const text = runTask(
      '      Overrides:\n        ContainerOverrides:\n          - Name: app\n            Command: $.command',
    );
    assert.deepEqual(messages(text, 'yaml'), [
      "ECS405 'Command' must be an array, but it is a string; to take it from the input use 'Command.$'.",
    ]);
  });

  it('a literal of the wrong type says what it is, without the .$ hint', () => {
    assert.deepEqual(messages(runTask('      Count: "3"'), 'yaml'), [
      "ECS405 'Count' must be an integer, but it is a string.",
    ]);
  });
});
