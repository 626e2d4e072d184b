/** The IAM policy document (client/src/commands/iamDocument.ts): names, notes as comments, saved text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { iamDocumentName, iamDocumentText, iamFileName, policyText } from '../src/commands/iamDocument';
import type { IamPolicyResult } from '../../server/src/protocol';

const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecs:RunTask'], Resource: ['*'] }] };
const result: IamPolicyResult = {
  policy,
  json: JSON.stringify(policy, null, 2) + '\n',
  notes: [
    {
      key: 'eks:runJob',
      states: ['Run EKS job'],
      note: 'No IAM statements: `eks:runJob` talks to the Kubernetes API server.\nMap the role with an EKS access entry.',
    },
  ],
  region: '',
  account: '',
};

describe('IAM policy document', () => {
  it('is named after the machine file, as it is saved', () => {
    assert.equal(iamFileName('report.asl.json'), 'report.iam.json');
    assert.equal(iamFileName('pipeline.asl.yaml'), 'pipeline.iam.json');
    assert.equal(iamFileName('hello.asl'), 'hello.iam.json');
    assert.equal(iamFileName('Untitled-1'), 'Untitled-1.iam.json');
    assert.equal(iamDocumentName('report.asl.json', 'Run task'), 'report (Run task).iam.json');
  });

  it('carries the notes of the states that need no IAM as comments above the policy', () => {
    const text = iamDocumentText(result, 'report.asl.json');
    const lines = text.split('\n');
    assert.equal(lines[0], '// IAM policy for the role of report.asl.json');
    assert.equal(lines[2], '// The Save button above writes the policy alone (no comments) to report.iam.json');
    assert.match(text, /^\/\/ Region \$\{Region\}, account \$\{AccountId\}/m);
    assert.ok(lines.includes('// note (eks:runJob: Run EKS job):'));
    assert.ok(lines.includes('// No IAM statements: `eks:runJob` talks to the Kubernetes API server.'));
    assert.ok(lines.includes('// Map the role with an EKS access entry.'));
    // what is not a comment is the policy, unchanged
    assert.deepEqual(JSON.parse(lines.filter((l) => !l.startsWith('//')).join('\n')), policy);
  });

  it('names the state of a single state policy and saves the policy alone', () => {
    assert.match(
      iamDocumentText({ ...result, notes: [] }, 'report.asl.json', 'Run task'),
      /report\.asl\.json, state 'Run task'/,
    );
    assert.equal(policyText(result), result.json);
    assert.doesNotMatch(policyText(result), /\/\//);
  });
});
