import { demoFamilies, type DemoOrganizations, type Step } from '../../infra/cli/demo-families.js';
import { hashApiKey } from '../../infra/auth/api-keys.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import type { EventStore } from '../../services/event-store/port.js';
import { sealEvents } from '../../services/event-envelope.js';
import { checkFamilyCommand } from '../../services/family/check-command.js';
import type { FamilyCommand, FamilyCommandInput } from '../../services/family/commands.js';
import { decideInWorld } from '../../services/family/decide-in-world.js';
import { FAMILY_EVENT_SCHEMA_VERSION } from '../../services/family/events.js';
import { evolve } from '../../services/family/evolve.js';
import { familyStreamName } from '../../services/family/family-decider.js';
import { initialFamilyState, type FamilyState } from '../../services/family/state.js';
import { worldOf } from '../../services/family/world.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { SYSTEM_ORGANIZATION_ID } from '../../services/organization/organization.js';
import type { Actor } from '../../services/shared/decider.js';
import { DomainError } from '../../services/shared/domain-error.js';

/**
 * A store shaped like real cases, for the scale benchmark: families follow the demo's five case
 * patterns (infra/cli/demo-families.ts: referrals, transfers, protection concerns, detention,
 * tracing), one in five then goes on with a long history (contact attempts, leads, follow-ups,
 * documents and deadlines, 40-400 more commands), and their commands interleave as real work
 * does: a window of open cases, each command going to a random open case, a new case opening
 * when one ends. Every command is decided by the real decider (in a world where the demo
 * organisations exist), sealed into its family's hash chain and appended as its own append
 * (concurrent appends of one round share a group commit). Deterministic for a seed, except the
 * event ids and times.
 */
const ORGANIZATIONS = [
  { key: 'usLegal', id: 'demo-us-legal', name: 'Legal Aid (scale)', kind: 'LEGAL_SERVICE_PROVIDER', countries: ['US'] },
  { key: 'mxDefenders', id: 'demo-mx-defenders', name: 'Defensores (scale)', kind: 'DEFENDER', countries: ['MX'] },
  { key: 'hnDefenders', id: 'demo-ca-defenders', name: 'Defensores CA (scale)', kind: 'DEFENDER', countries: ['HN', 'NI', 'GT'] },
  { key: 'ncLegal', id: 'demo-nc-legal', name: 'NC Legal (scale)', kind: 'LEGAL_SERVICE_PROVIDER', countries: ['US'] },
] as const;

/** The API key of the lead organisation's advocate (it leads every family until a transfer). */
export const SCALE_KEY = 'scale-bench-key-0123456789abcdef0123';
const ORGS: DemoOrganizations = {
  usLegal: { userId: 'demo-us-legal-advocate', organizationId: 'demo-us-legal', role: 'ADVOCATE' },
  mxDefenders: { userId: 'demo-mx-defenders-advocate', organizationId: 'demo-mx-defenders', role: 'ADVOCATE' },
  hnDefenders: { userId: 'demo-ca-defenders-advocate', organizationId: 'demo-ca-defenders', role: 'ADVOCATE' },
  ncLegal: { userId: 'demo-nc-legal-advocate', organizationId: 'demo-nc-legal', role: 'ADVOCATE' },
};
const WORLD = worldOf(Object.fromEntries(ORGANIZATIONS.map((org) => [org.id, []])));
const LONG_EVERY = 5;
const ROUND = 500;

const rng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

interface OpenCase {
  readonly familyId: string;
  readonly steps: Step[];
  next: number;
  tail: number;
  tailDone: number;
  state: FamilyState;
  revision: number;
  prevHash: string | undefined;
}

/** The long history's commands, in rotation; one the decider refuses in that family's state is skipped. */
const tailCommand = (state: FamilyState, k: number): { by: Actor; command: FamilyCommandInput } => {
  const lead = state.leadOrganizationId;
  const by: Actor = { userId: `${lead}-advocate`, organizationId: lead, role: 'ADVOCATE' };
  const relatives = [...state.relatives.values()];
  const traced = relatives.filter((r) => r.location === 'TRACING' || r.location === 'UNREACHABLE');
  const children = [...state.children.keys()];
  const childId = children[k % Math.max(1, children.length)] ?? 'none';
  const n = String(k);
  if (traced.length === 0) {
    const untraced = relatives.find((r) => r.location === 'NOT_SOUGHT' && !r.adverse) ?? relatives.find((r) => r.location === 'NOT_SOUGHT');
    if (untraced) return { by, command: { type: 'StartTracing', relativeId: untraced.relativeId, defenderOrganizationId: ORGS.hnDefenders.organizationId } };
  }
  const relativeId = traced[k % Math.max(1, traced.length)]?.relativeId ?? relatives[0]?.relativeId ?? 'none';
  const commands: FamilyCommandInput[] = [
    { type: 'RecordContactAttempt', relativeId, channel: 'PHONE', result: 'NO_ANSWER' },
    { type: 'RecordLead', relativeId, lead: `Lead ${n} from a neighbour` },
    { type: 'RecordFollowUp', childId, note: `Follow-up call ${n}` },
    { type: 'RecordContactAttempt', relativeId, channel: 'WHATSAPP', result: 'WRONG_NUMBER' },
    { type: 'SetDeadline', deadlineId: `deadline-${n}`, kind: 'OTHER', dueOn: '2031-01-15' as never, childId },
    { type: 'RequestDocument', documentId: `document-${n}`, documentType: 'IDENTITY_DOCUMENT', issuingCountry: 'MX' as never, assignedOrganizationId: lead, subjectPersonId: childId, needsLegalisation: false, needsTranslation: false, needsService: false },
    { type: 'RecordDocumentObtained', documentId: `document-${String(k - 1)}` },
    { type: 'RecordDeadlineMet', deadlineId: `deadline-${String(k - 3)}` },
  ];
  return { by, command: commands[k % commands.length]! };
};

/**
 * A step's input as the command check gives it (defaults filled in), checked once per distinct
 * step: the pattern steps repeat in every family, the long history's commands are whole already.
 */
const checkedSteps = new WeakMap<FamilyCommandInput, FamilyCommandInput>();
const checked = (input: FamilyCommandInput): FamilyCommandInput => {
  let known = checkedSteps.get(input);
  if (!known) {
    const now = new Date().toISOString();
    known = checkFamilyCommand({ ...input, familyId: 'check', actor: ORGS.usLegal, issuedAt: now, occurredAt: now });
    checkedSteps.set(input, known);
  }
  return known;
};

/** The sealed events of a case's next command (none when the decider refuses it), folded into its state. */
const nextEvents = (open: OpenCase, issuedAt: string) => {
  const pattern = open.next < open.steps.length;
  const step = pattern ? open.steps[open.next]! : { ...tailCommand(open.state, open.tailDone), daysAgo: 0 };
  if (pattern) open.next += 1;
  else {
    open.tail -= 1;
    open.tailDone += 1;
  }
  const occurredAt = new Date(Date.parse(issuedAt) - (step.daysAgo ?? 0) * 86_400_000).toISOString();
  let events;
  try {
    const command = { ...(pattern ? checked(step.command) : step.command), familyId: open.familyId, actor: step.by, issuedAt, occurredAt } as FamilyCommand;
    events = decideInWorld(command, open.state, WORLD);
  } catch (error) {
    if (error instanceof DomainError) return [];
    throw error;
  }
  for (const event of events) open.state = evolve(open.state, event);
  const stream = familyStreamName(open.familyId);
  const sealed = sealEvents({
    stream, firstRevision: open.revision + 1, previousHash: open.prevHash, events, schemaVersion: FAMILY_EVENT_SCHEMA_VERSION, newEventId,
    metadata: { actor: step.by, occurredAt, recordedAt: issuedAt, commandType: step.command.type, correlationId: open.familyId, causationId: open.familyId },
  });
  open.prevHash = sealed.at(-1)?.metadata.hash ?? open.prevHash;
  return sealed;
};

const registerOrganizations = async (store: EventStore, issuedAt: string): Promise<void> => {
  const system: Actor = { userId: 'scale-loader', organizationId: SYSTEM_ORGANIZATION_ID, role: 'SYSTEM' };
  const dependencies = { store, newEventId };
  for (const org of ORGANIZATIONS) {
    const base = { organizationId: org.id, actor: system, issuedAt };
    await executeOrganizationCommand(dependencies, { ...base, type: 'RegisterOrganization', name: org.name, kind: org.kind, countries: [...org.countries] as never });
    await executeOrganizationCommand(dependencies, { ...base, type: 'AddMember', userId: `${org.id}-advocate`, role: 'ADVOCATE', name: 'Advocate' });
  }
  const lead = ORGS.usLegal;
  await executeOrganizationCommand(dependencies, { organizationId: lead.organizationId, actor: system, issuedAt, type: 'IssueApiKey', keyId: 'scale-key', userId: lead.userId, keyHash: hashApiKey(SCALE_KEY), label: 'scale' });
};

export interface CasePatternLoad {
  readonly events: number;
  readonly families: number;
  /** The family with the most events, and one of the shortest (for family(id) at both ends). */
  readonly longest: { readonly familyId: string; readonly events: number };
  readonly shortest: { readonly familyId: string; readonly events: number };
}

/**
 * Appends about `target` family events (it stops after the round that reaches it) with `open`
 * cases open at a time. `onProgress` gets the events appended so far.
 */
export const loadCasePatterns = async (store: EventStore, target: number, options: { open?: number; seed?: number; onProgress?: (events: number) => void } = {}): Promise<CasePatternLoad> => {
  const random = rng(options.seed ?? 17);
  const now = new Date();
  await registerOrganizations(store, now.toISOString());
  const patterns = demoFamilies(ORGS, now);
  let opened = 0;
  const openCase = (): OpenCase => {
    const number = opened;
    opened += 1;
    const pattern = patterns[number % patterns.length]!;
    const long = Math.floor(number / patterns.length) % LONG_EVERY === number % LONG_EVERY;
    return {
      familyId: `scale-${String(number).padStart(8, '0')}`, steps: pattern.steps, next: 0,
      tail: long ? 40 + Math.floor(random() * 360) : 0, tailDone: 0, state: initialFamilyState, revision: -1, prevHash: undefined,
    };
  };
  const cases = Array.from({ length: options.open ?? 2_000 }, openCase);
  const counts = new Map<string, number>();
  let events = 0;
  while (events < target) {
    const round = new Map<number, { stream: string; sealed: ReturnType<typeof nextEvents>; expected: number }>();
    const issuedAt = new Date().toISOString();
    while (round.size < ROUND && events < target) {
      const index = Math.floor(random() * cases.length);
      if (round.has(index)) break;
      const open = cases[index]!;
      const sealed = nextEvents(open, issuedAt);
      if (open.next >= open.steps.length && open.tail <= 0) cases[index] = openCase();
      if (sealed.length === 0) continue;
      round.set(index, { stream: familyStreamName(open.familyId), sealed, expected: open.revision });
      open.revision += sealed.length;
      events += sealed.length;
      counts.set(open.familyId, (counts.get(open.familyId) ?? 0) + sealed.length);
    }
    await Promise.all([...round.values()].map(({ stream, sealed, expected }) =>
      store.appendToStream(stream, sealed as never, { expectedRevision: expected === -1 ? 'no_stream' : expected })));
    options.onProgress?.(events);
  }
  let longest = { familyId: '', events: 0 };
  let shortest = { familyId: '', events: Number.POSITIVE_INFINITY };
  for (const [familyId, count] of counts) {
    if (count > longest.events) longest = { familyId, events: count };
    if (count < shortest.events && count >= 10) shortest = { familyId, events: count };
  }
  return { events, families: counts.size, longest, shortest };
};
