import { readFileSync, writeFileSync } from 'node:fs';
import { withAccessPolicyTable } from '../../services/family/access-policy-docs.js';
import { FAMILY_COMMAND_TYPES } from '../../services/family/decide.js';
import { renderTransitionDocs } from '../../services/family/transition-docs.js';

/** `npm run docs:transitions`: docs/TRANSITIONS.md and the README's write-policy table, from the code that enforces them. */
const transitions = new URL('../../docs/TRANSITIONS.md', import.meta.url);
writeFileSync(transitions, renderTransitionDocs());
process.stdout.write(`wrote ${transitions.pathname}\n`);

const readme = new URL('../../README.md', import.meta.url);
writeFileSync(readme, withAccessPolicyTable(readFileSync(readme, 'utf8'), FAMILY_COMMAND_TYPES));
process.stdout.write(`updated the access-policy table in ${readme.pathname}\n`);
