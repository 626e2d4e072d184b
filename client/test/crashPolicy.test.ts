import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CrashPolicy } from '../src/crashPolicy';

test('restarts the server until five crashes fall within three minutes', () => {
  let now = 0;
  const p = new CrashPolicy(5, 180_000, () => now);
  for (let i = 1; i <= 4; i++) {
    now += 1000;
    assert.deepEqual(p.onCrash(), { restart: true, recentCrashes: i });
  }
  now += 1000;
  assert.deepEqual(p.onCrash(), { restart: false, recentCrashes: 5 });
});

test('forgets crashes older than the window', () => {
  let now = 0;
  const p = new CrashPolicy(3, 10_000, () => now);
  p.onCrash();
  p.onCrash();
  now = 20_000;
  assert.deepEqual(p.onCrash(), { restart: true, recentCrashes: 1 });
});

test('reset() after a manual restart starts counting again', () => {
  const p = new CrashPolicy(2, 10_000, () => 0);
  p.onCrash();
  assert.equal(p.onCrash().restart, false);
  p.reset();
  assert.equal(p.onCrash().restart, true);
});
