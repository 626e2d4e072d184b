/**
 * The settings Run Locally and Debug Locally merge into the local run config: they fill the
 * engine and Kubernetes fields the config leaves out, and the config's own values win.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withSettings } from '../src/run/runSettings';

const settings: Record<string, string> = {
  'containerEngine.kind': 'podman',
  'containerEngine.host': 'unix:///run/podman/podman.sock',
  'kubernetes.context': 'kind-dev',
  'kind.clusterName': 'dev',
  'kubernetes.kubeconfig': '',
};
const setting = (k: string): string | undefined => settings[k] || undefined;

describe('run config settings', () => {
  it('fills the engine and Kubernetes fields a run config leaves out from the settings', () => {
    assert.deepEqual(withSettings({ clusters: { default: {} } }, setting), {
      clusters: { default: {} },
      engine: { kind: 'podman', host: 'unix:///run/podman/podman.sock' },
      kubernetes: { context: 'kind-dev', kindClusterName: 'dev' },
    });
  });

  it('keeps the values the run config file sets over the settings', () => {
    const merged = withSettings(
      { engine: { host: 'tcp://127.0.0.1:2375' }, kubernetes: { context: 'prod-like' }, configPath: '/w/run.json' },
      setting,
    );
    assert.deepEqual(merged.engine, { kind: 'podman', host: 'tcp://127.0.0.1:2375' });
    assert.deepEqual(merged.kubernetes, { context: 'prod-like', kindClusterName: 'dev' });
    assert.equal(merged.configPath, '/w/run.json');
  });
});
