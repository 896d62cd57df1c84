import { hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ivKeyForTests } from '../../../../services/privacy/read-model-sealer.js';

describe('the read-model sealer\'s IV key', () => {
  it('is the same bytes as hkdfSync gave (sealed rows stay byte-identical, so `projections check` still compares them)', () => {
    for (let i = 0; i < 200; i += 1) {
      const key = randomBytes(32);
      expect(ivKeyForTests(key).equals(Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tracker-read-model-siv-v1', 32)))).toBe(true);
    }
  });
});
