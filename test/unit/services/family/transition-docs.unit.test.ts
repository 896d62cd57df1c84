import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTransitionDocs } from '../../../../services/family/transition-docs.js';

describe('docs/TRANSITIONS.md', () => {
  it('is what the transition tables generate (run npm run docs:transitions after changing them)', () => {
    const committed = readFileSync(new URL('../../../../docs/TRANSITIONS.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderTransitionDocs());
  });
});
