/** Pure helpers of the EKS drivers: quantities, $(VAR) expansion, log parameters, Job validation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  containerBody,
  expandVars,
  memoryBytes,
  nameSuffix,
  nanoCpus,
  validateJob,
} from '../src/drivers/jobs-on-containers/podSpec';
import { applyLogParameters, logValue, parseRunJobParams, terminalCondition } from '../src/drivers/kubernetes/shapes';

describe('Jobs on containers: pod spec helpers', () => {
  it('converts CPU quantities to NanoCpus', () => {
    assert.equal(nanoCpus('500m'), 500_000_000);
    assert.equal(nanoCpus('2'), 2_000_000_000);
    assert.equal(nanoCpus(0.25), 250_000_000);
    assert.equal(nanoCpus('lots'), undefined);
    assert.equal(nanoCpus(undefined), undefined);
  });

  it('converts memory quantities to bytes (binary and decimal suffixes)', () => {
    assert.equal(memoryBytes('64Mi'), 64 * 1024 * 1024);
    assert.equal(memoryBytes('1G'), 1e9);
    assert.equal(memoryBytes('1e9'), 1e9);
    assert.equal(memoryBytes(1048576), 1048576);
    assert.equal(memoryBytes('12 parsecs'), undefined);
  });

  it('expands $(VAR) from earlier env entries and keeps $$( literal', () => {
    assert.equal(expandVars('echo $(WHO) $(NOPE) $$(WHO)', { WHO: 'pod' }), 'echo pod $(NOPE) $(WHO)');
  });

  it('maps command → Entrypoint, args → Cmd, env, workingDir and limits', () => {
    const b = containerBody(
      {
        name: 'c',
        image: 'img',
        command: ['sh', '-c'],
        args: ['echo $(A)'],
        workingDir: '/w',
        env: [
          { name: 'A', value: 'x' },
          { name: 'B', valueFrom: {} },
        ],
        resources: { limits: { cpu: '1', memory: '1Mi' } },
      },
      'job-abcde',
      { l: 'v' },
      () => undefined,
    );
    assert.deepEqual(b.Entrypoint, ['sh', '-c']);
    assert.deepEqual(b.Cmd, ['echo x']);
    assert.deepEqual(b.Env, ['A=x']);
    assert.equal(b.WorkingDir, '/w');
    assert.equal(b.Hostname, 'job-abcde');
    assert.deepEqual(b.HostConfig, { NanoCpus: 1e9, Memory: 1048576 });
  });

  it('generates five-character suffixes from the Kubernetes alphabet', () => {
    for (let i = 0; i < 20; i++) assert.match(nameSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('validates Jobs like the API server (422) and uses generateName', () => {
    const ok = {
      metadata: { generateName: 'batch-' },
      spec: { template: { spec: { restartPolicy: 'Never' as const, containers: [{ name: 'c', image: 'i' }] } } },
    };
    assert.match(validateJob(ok), /^batch-[a-z0-9]{5}$/);
    assert.throws(
      () => validateJob({ metadata: { name: 'Bad_Name' }, spec: ok.spec }),
      (e: Error & { error?: string }) => e.error === 'EKS.422',
    );
    assert.throws(
      () =>
        validateJob({
          metadata: { name: 'x' },
          spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
        }),
      /restartPolicy/,
    );
  });
});

describe('runJob parameters and logs', () => {
  it('reads Job from a JSON string and LogParameters values as lists', () => {
    const p = parseRunJobParams({
      ClusterName: 'c',
      Job: '{"metadata":{"name":"j","namespace":"ns"}}',
      LogOptions: { RetrieveLogs: true, LogParameters: { tailLines: ['3'], limitBytes: 10 } },
    });
    assert.equal(p.job.metadata?.name, 'j');
    assert.equal(p.namespace, 'ns');
    assert.deepEqual(p.logOptions, {
      RetrieveLogs: true,
      RawLogs: false,
      LogParameters: { tailLines: ['3'], limitBytes: ['10'] },
    });
    assert.throws(() => parseRunJobParams({ Job: 42 }), /Job must be/);
  });

  it('parses a JSON log, keeps text that is not JSON, and keeps raw logs raw', () => {
    assert.deepEqual(logValue('{"a": 1}\n', false), { a: 1 });
    assert.equal(logValue('hello\n', false), 'hello\n');
    assert.equal(logValue('{"a": 1}\n', true), '{"a": 1}\n');
  });

  it('applies tailLines before limitBytes', () => {
    assert.equal(applyLogParameters('a\nb\nc\n', { tailLines: ['2'] }), 'b\nc\n');
    assert.equal(applyLogParameters('a\nb\nc\n', { tailLines: ['2'], limitBytes: ['3'] }), 'b\nc');
    assert.equal(applyLogParameters('a\nb\n', { tailLines: ['0'] }), '');
  });

  it('finds the terminal condition only when its status is True', () => {
    assert.equal(terminalCondition({ status: { conditions: [{ type: 'Failed', status: 'False' }] } }), undefined);
    assert.deepEqual(terminalCondition({ status: { conditions: [{ type: 'Complete', status: 'True' }] } }), {
      type: 'Complete',
      reason: undefined,
      message: undefined,
    });
  });
});
