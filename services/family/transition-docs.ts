import type { FamilyCommandType } from './commands.js';
import { UNAVOIDABLE } from './stop-work.js';
import { ALL_TABLES, EVERY_LIFECYCLE } from './transitions.js';

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
    '| SUSPENDED (family-level stop-work, older cases) | unavoidable work as in [STOP-WORK.md](STOP-WORK.md) (always: ' + Object.keys(UNAVOIDABLE).map((c) => `\`${c}\``).join(', ') + '; document and legal work while a deadline is open), or any step with a `stopWorkReason` |',
    '| CLOSED | only `ReopenFamilyCase` |',
    '',
    'In every lifecycle: ' + EVERY_LIFECYCLE.map((c) => `\`${c}\``).join(', ') + ' (erasure and legal hold, [ERASURE.md](ERASURE.md)).',
    '',
    'Every command but `OpenFamilyCase` needs an existing family (else `NOT_FOUND`).',
    'An organisation\'s stop-work order over the family\'s programme applies the same unavoidable-work rule to that',
    'organisation\'s commands ([STOP-WORK.md](STOP-WORK.md)); sharing needs consent ([HANDOFFS.md](HANDOFFS.md)).',
    'A referral is answered (`AcceptReferral`, `DeclineReferral`) only by its receiving organisation',
    '(else `FORBIDDEN`); a pending or accepted referral past its `expiresAt` counts as `EXPIRED`.',
    '`RecordCustodyRecovered` also needs a custody matter (`MEXICAN_CUSTODY`, `FAMILY_COURT_CUSTODY`);',
    'reunification needs a known child and a known adult who is not recorded as adverse.',
    '',
    ...sections,
  ].join('\n');
};
