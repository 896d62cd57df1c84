import type { FamilyCommandType } from './commands.js';
import { ALL_TABLES, UNAVOIDABLE_WORK } from './transitions.js';

/** docs/TRANSITIONS.md, rendered from the tables the decider enforces. */
export const renderTransitionDocs = (): string => {
  const sections = Object.entries(ALL_TABLES).map(([subject, table]) => {
    const rows = (Object.entries(table) as Array<[FamilyCommandType, readonly string[]]>).map(
      ([command, from]) => `| \`${command}\` | ${from.join(', ')} |`,
    );
    return [`## ${subject}`, '', '| command | allowed when the ' + subject + ' is |', '|---|---|', ...rows, ''].join('\n');
  });
  return [
    '# Family case transitions',
    '',
    'Generated from `services/family/transitions.ts` by `npm run docs:transitions`; a unit test fails',
    'when this file and the tables disagree. A command outside its table is rejected with',
    '`INVALID_TRANSITION`, and the message names the current state.',
    '',
    '## family lifecycle',
    '',
    '| lifecycle | accepts |',
    '|---|---|',
    '| OPEN | every command except `ReopenFamilyCase` and `ResumeService` |',
    '| SUSPENDED (stop-work order) | only unavoidable work: ' + UNAVOIDABLE_WORK.map((c) => `\`${c}\``).join(', ') + ' |',
    '| CLOSED | only `ReopenFamilyCase` |',
    '',
    'Every command but `OpenFamilyCase` needs an existing family (else `NOT_FOUND`).',
    'A referral is answered (`AcceptReferral`, `DeclineReferral`) only by its receiving organisation',
    '(else `FORBIDDEN`); a pending or accepted referral past its `expiresAt` counts as `EXPIRED`.',
    '`RecordCustodyRecovered` also needs a custody matter (`MEXICAN_CUSTODY`, `FAMILY_COURT_CUSTODY`);',
    'reunification needs a known child and a known adult who is not recorded as adverse.',
    '',
    ...sections,
  ].join('\n');
};
