/** The one wait of the tests: a condition checked until it holds, with a deadline that names what was awaited. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from './wait.mjs';

describe('waitFor', () => {
  it('resolves with the first truthy value of the condition', async () => {
    let calls = 0;
    assert.equal(await waitFor(() => ++calls >= 3 && `after ${calls} checks`), 'after 3 checks');
  });

  it('rejects at the deadline with the message and the last error of the condition', async () => {
    const t0 = Date.now();
    await assert.rejects(
      waitFor(
        () => {
          throw new Error('not listening');
        },
        { deadlineMs: 50, message: 'the server to listen' },
      ),
      { message: 'timed out after 50 ms waiting for the server to listen (last error: not listening)' },
    );
    assert.ok(Date.now() - t0 >= 50);
  });

  it('checks again at once when the event fires, not only on its interval', async () => {
    const listeners = new Set<() => void>();
    let ready = false;
    const wait = waitFor(() => ready, {
      intervalMs: 60_000,
      recheckOn: (l) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
    });
    ready = true;
    for (const l of listeners) l();
    assert.equal(await wait, true);
    assert.equal(listeners.size, 0, 'the event listener is removed');
  });
});
