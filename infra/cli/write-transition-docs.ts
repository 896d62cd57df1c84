import { writeFileSync } from 'node:fs';
import { renderTransitionDocs } from '../../services/family/transition-docs.js';

const target = new URL('../../docs/TRANSITIONS.md', import.meta.url);
writeFileSync(target, renderTransitionDocs());
process.stdout.write(`wrote ${target.pathname}\n`);
