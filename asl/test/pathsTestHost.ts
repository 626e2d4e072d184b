/** A deterministic IntrinsicHost for tests: real digests (node:crypto), fixed UUID and random. */
import { createHash } from 'node:crypto';
import type { IntrinsicHost } from '../src/types';

const ALG: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export function testHost(random = 0.25): IntrinsicHost {
  return {
    hash: (algorithm, data) => createHash(ALG[algorithm]).update(data, 'utf8').digest('hex'),
    uuid: () => '00000000-0000-4000-8000-000000000001',
    random: () => random,
  };
}
