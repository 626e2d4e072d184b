/** Which addresses and endpoint URLs count as this machine (binds, Host checks, local credentials). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopback, isLoopbackUrl, isWildcard } from '../src/loopback';

describe('loopback', () => {
  it('knows the loopback addresses, IPv4-mapped ones included, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
    for (const a of ['10.0.0.1', '0.0.0.0', '::', 'localhost', '128.0.0.1']) assert.equal(isLoopback(a), false, a);
  });

  it('takes only the any-address binds as wildcards', () => {
    assert.deepEqual(['0.0.0.0', '::', '127.0.0.1'].map(isWildcard), [true, true, false]);
  });

  it('reads the host of an endpoint URL: localhost and loopback addresses stay on this machine', () => {
    for (const u of ['http://127.0.0.1:8083', 'http://localhost:8083/', 'http://[::1]:8083', 'HTTP://LOCALHOST'])
      assert.equal(isLoopbackUrl(u), true, u);
    for (const u of [
      'https://states.us-east-1.amazonaws.com',
      'http://127.0.0.1.example.com:8083',
      'http://localhost.attacker.test',
      'not a url',
    ])
      assert.equal(isLoopbackUrl(u), false, u);
  });
});
