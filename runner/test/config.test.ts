/** Run config lookup (asl/src/runConfig.ts), mock config lookup (runner/src/config.ts) and mock response selection. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findRunConfig } from '../../asl/src/runConfig';
import { findMockConfig, loadMockConfig, loadRunConfig } from '../src/config';
import { checkMockConfig, responseFor } from '../src/drivers/mock/mockConfig';
import { mockDriverFor } from '../src/api';

const dir = path.join(import.meta.dirname, 'fixtures', 'config');

describe('run config lookup', () => {
  it('prefers the machine directory, then the workspace root, and --config over both', () => {
    assert.equal(
      findRunConfig(path.join(dir, 'machines/sub/m.asl.json'), { fs, path }),
      path.join(dir, 'machines/sub/asl-workbench.run.json'),
    );
    assert.equal(
      findRunConfig(path.join(dir, 'machines/top.asl.json'), { fs, path }),
      path.join(dir, 'asl-workbench.run.json'),
    );
    assert.equal(
      findRunConfig(path.join(dir, 'machines/top.asl.json'), { fs, path }, 'x.json'),
      path.resolve('x.json'),
    );
    const r = loadRunConfig(path.join(dir, 'machines/sub/m.asl.json'));
    assert.ok(r.ok);
    assert.deepEqual(r.ok && r.value.taskDefinitions, { sub: './sub.json' });
    assert.equal(loadRunConfig(path.join(dir, 'machines/top.asl.json'), path.join(dir, 'missing.json')).ok, false);
  });

  it('finds the mock config: explicit, SFN_MOCK_CONFIG, then mock-config.json next to the machine (implicit)', () => {
    const machine = path.join(dir, 'mocked', 'hello.asl.json');
    assert.deepEqual(findMockConfig(machine, 'a.json', {}), { file: path.resolve('a.json'), implicit: false });
    assert.deepEqual(findMockConfig(machine, undefined, { SFN_MOCK_CONFIG: 'b.json' }), {
      file: path.resolve('b.json'),
      implicit: false,
    });
    assert.deepEqual(findMockConfig(machine, undefined, {}), {
      file: path.join(path.dirname(machine), 'mock-config.json'),
      implicit: true,
    });
    assert.equal(findMockConfig(path.join(dir, 'machines/top.asl.json'), undefined, {}), undefined);
  });
});

describe('mock config', () => {
  const config = {
    StateMachines: { M: { TestCases: { A: { S: 'R' }, B: {} } } },
    MockedResponses: {
      R: { '0': { Return: 'zero' }, '1-3': { Throw: { Error: 'E', Cause: 'c' } }, '4': { Return: 'four' } },
    },
  };
  it('selects responses by invocation number, including "N-M" ranges', () => {
    assert.deepEqual(responseFor(config, 'R', 0), { Return: 'zero' });
    assert.deepEqual(responseFor(config, 'R', 2), { Throw: { Error: 'E', Cause: 'c' } });
    assert.deepEqual(responseFor(config, 'R', 4), { Return: 'four' });
    assert.equal(responseFor(config, 'R', 5), undefined);
    assert.equal(responseFor(config, 'Nope', 0), undefined);
  });

  it('reports shape problems and unknown test cases clearly', () => {
    assert.deepEqual(checkMockConfig(config), []);
    const bad = loadMockConfig(path.join(dir, 'bad-mock.json'));
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.error : '', /invocation key "x"/);
    assert.match(!bad.ok ? bad.error : '', /needs "Return" or "Throw"/);
    assert.equal(mockDriverFor(config, 'M').testCaseName, 'A');
    assert.equal(mockDriverFor(config, 'M', 'B').handlesState('S'), false);
    assert.throws(() => mockDriverFor(config, 'M', 'C'), /no test case 'C'/);
    assert.throws(() => mockDriverFor(config, 'Other'), /no test cases for the state machine 'Other'/);
  });
});
