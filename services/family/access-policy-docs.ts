import type { CalendarDate } from '../shared/calendar-date.js';
import type { Actor } from '../shared/decider.js';
import { commandGroup, decideAccess, type CommandGroup } from './access-policy.js';
import type { FamilyCommand, FamilyCommandType } from './commands.js';
import type { FamilyEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialFamilyState, type FamilyState } from './state.js';

/**
 * The write policy rendered for the README (between the access-policy markers), from the
 * policy itself evaluated on one sample family per relationship: what is written is what runs.
 * `npm run docs:transitions` rewrites it; a unit test fails on drift.
 */

/** When the samples are judged; the expired referral expired the day before. */
export const SAMPLE_NOW = '2024-06-01T12:00:00.000Z';
const LEAD = 'org-lead';
/** The organisation whose access each sample describes. */
export const SAMPLE_ORGANIZATION = 'org-b';
/** The referral every sample's referral answer names (made to SAMPLE_ORGANIZATION where one exists). */
export const SAMPLE_REFERRAL = 'ref-b';

const opened = (lead: string): FamilyEvent => ({ type: 'FamilyCaseOpened', data: { familyId: 'fam', leadOrganizationId: lead, programme: 'ASYLUM' } });
const referral = (scope: 'STATUS' | 'DOCUMENTS' | 'FULL', expiresAt?: string): FamilyEvent => ({
  type: 'FamilyReferred',
  data: { referralId: SAMPLE_REFERRAL, fromOrganizationId: LEAD, toOrganizationId: SAMPLE_ORGANIZATION, purpose: 'p', scope, ...(expiresAt ? { expiresAt } : {}) },
});
const accepted: FamilyEvent = { type: 'ReferralAccepted', data: { referralId: SAMPLE_REFERRAL } };
const revoked: FamilyEvent = { type: 'ReferralRevoked', data: { referralId: SAMPLE_REFERRAL } };
const grant = (scope: 'STATUS' | 'DOCUMENTS' | 'FULL'): FamilyEvent => ({ type: 'AccessGranted', data: { grantId: 'g', organizationId: SAMPLE_ORGANIZATION, scope } });
const transferred = (keeps: boolean): FamilyEvent => ({ type: 'FamilyTransferred', data: { fromOrganizationId: SAMPLE_ORGANIZATION, toOrganizationId: LEAD, previousLeadKeepsReadAccess: keeps } });
const EXPIRED = '2024-05-31T12:00:00.000Z';
const relative: FamilyEvent = {
  type: 'RelativeAdded',
  data: { relativeId: 'father', relationship: 'FATHER', biological: true, vitalStatus: 'ALIVE', adverse: false, personal: { subjectId: 'father', givenName: 'x' } },
};
const tracing: FamilyEvent = { type: 'TracingStarted', data: { relativeId: 'father', defenderOrganizationId: SAMPLE_ORGANIZATION, startedOn: '2024-05-01' as CalendarDate } };

/** One family per relationship of SAMPLE_ORGANIZATION to it. */
export const RELATIONSHIP_SAMPLES: ReadonlyArray<readonly [name: string, events: readonly FamilyEvent[]]> = [
  ['lead organisation', [opened(SAMPLE_ORGANIZATION)]],
  ['STATUS referral, pending', [opened(LEAD), referral('STATUS')]],
  ['STATUS referral, accepted', [opened(LEAD), referral('STATUS'), accepted]],
  ['DOCUMENTS referral, pending', [opened(LEAD), referral('DOCUMENTS')]],
  ['DOCUMENTS referral, accepted', [opened(LEAD), referral('DOCUMENTS'), accepted]],
  ['FULL referral, pending', [opened(LEAD), referral('FULL')]],
  ['FULL referral, accepted', [opened(LEAD), referral('FULL'), accepted]],
  ['referral expired (any scope)', [opened(LEAD), referral('FULL', EXPIRED), accepted]],
  ['referral revoked (any scope)', [opened(LEAD), referral('FULL'), accepted, revoked]],
  ['STATUS grant', [opened(LEAD), grant('STATUS')]],
  ['DOCUMENTS grant', [opened(LEAD), grant('DOCUMENTS')]],
  ['FULL grant', [opened(LEAD), grant('FULL')]],
  ['former lead that kept read access', [opened(SAMPLE_ORGANIZATION), transferred(true)]],
  ['former lead without kept access', [opened(SAMPLE_ORGANIZATION), transferred(false)]],
  ['transfer proposed to it', [opened(LEAD), { type: 'FamilyTransferProposed', data: { fromOrganizationId: LEAD, toOrganizationId: SAMPLE_ORGANIZATION, previousLeadKeepsReadAccess: false } }]],
  ['Defender named in tracing', [opened(LEAD), relative, tracing]],
  ['auditor appointed by the lead, or any outsider', [opened(LEAD)]],
];

export const sampleState = (events: readonly FamilyEvent[]): FamilyState => events.reduce(evolve, initialFamilyState);

/**
 * A command of a type by an actor of SAMPLE_ORGANIZATION; the policy reads only the type, actor,
 * time, referral and (for a Defender's assignment) the sought relative.
 */
export const sampleCommand = (type: FamilyCommandType, role: Actor['role']): FamilyCommand =>
  ({ type, familyId: 'fam', actor: { userId: 'u', organizationId: SAMPLE_ORGANIZATION, role }, issuedAt: SAMPLE_NOW, occurredAt: SAMPLE_NOW, referralId: SAMPLE_REFERRAL, relativeId: 'father' }) as unknown as FamilyCommand;

/** The outcome as the API answers it: allowed, FORBIDDEN, or NOT_FOUND (as for an unknown family). */
export const outcomeOf = (command: FamilyCommand, state: FamilyState): 'yes' | 'FORBIDDEN' | 'NOT_FOUND' => {
  const decision = decideAccess(command, state);
  if (decision.allowed) return 'yes';
  return decision.reason === 'NOT_VISIBLE' ? 'NOT_FOUND' : 'FORBIDDEN';
};

const GROUP_TITLES: ReadonlyArray<readonly [CommandGroup, string]> = [
  ['HAND_OFF', 'share, transfer'],
  ['CASE_CONTROL', 'consent, stop-work, close'],
  ['DOCUMENT_WORK', 'documents, legal, deadlines'],
  ['TRACING_WORK', 'tracing records'],
  ['CASE_WORK', 'other case work'],
  ['REFERRAL_ANSWER', 'answer its referral'],
  ['TRANSFER_ANSWER', 'answer a transfer'],
];

export const renderAccessPolicyTable = (commandTypes: readonly FamilyCommandType[]): string => {
  const representative = (group: CommandGroup): FamilyCommandType => {
    const type = commandTypes.find((candidate) => commandGroup(candidate) === group);
    if (!type) throw new Error(`no command in group ${group}`);
    return type;
  };
  const header = `| access of the caller's organisation (ADVOCATE or ADMIN key) | ${GROUP_TITLES.map(([, title]) => title).join(' | ')} |`;
  const rows = RELATIONSHIP_SAMPLES.map(([name, events]) => {
    const state = sampleState(events);
    return `| ${name} | ${GROUP_TITLES.map(([group]) => outcomeOf(sampleCommand(representative(group), 'ADVOCATE'), state)).join(' | ')} |`;
  });
  const groups = GROUP_TITLES.map(([group, title]) => `- ${title}: ${commandTypes.filter((type) => commandGroup(type) === group).map((type) => `\`${type}\``).join(', ')}`);
  return [
    header,
    `|---|${GROUP_TITLES.map(() => '---').join('|')}|`,
    ...rows,
    '',
    'Opening a case (`OpenFamilyCase`) is open to every ADVOCATE and ADMIN key; the organisation becomes the lead.',
    'PARTNER keys only answer referrals made to their organisation (as in that column); AUDITOR keys never change a family (FORBIDDEN, or NOT_FOUND as in the table where their organisation has no access in the family\'s own events, e.g. auditors appointed by the lead).',
    'The commands in each column:',
    '',
    ...groups,
  ].join('\n');
};

export const ACCESS_POLICY_START = '<!-- access-policy:start (generated by npm run docs:transitions) -->';
export const ACCESS_POLICY_END = '<!-- access-policy:end -->';

/** The README with its generated policy table replaced by the current one. */
export const withAccessPolicyTable = (readme: string, commandTypes: readonly FamilyCommandType[]): string => {
  const start = readme.indexOf(ACCESS_POLICY_START);
  const end = readme.indexOf(ACCESS_POLICY_END);
  if (start < 0 || end < start) throw new Error('README.md has no access-policy markers');
  return `${readme.slice(0, start + ACCESS_POLICY_START.length)}\n${renderAccessPolicyTable(commandTypes)}\n${readme.slice(end)}`;
};
