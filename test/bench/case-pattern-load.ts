import { demoFamilies, type DemoOrganizations, type Step } from '../../infra/cli/demo-families.js';
import { hashApiKey } from '../../infra/auth/api-keys.js';
import { newEventId } from '../../infra/event-store/event-id.js';
import type { AppendResult, EventStore } from '../../services/event-store/port.js';
import { sealEvents, type SealedEvent } from '../../services/event-envelope.js';
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
 * (concurrent appends share group commits). Deterministic for a seed, except the
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
/** Families in a load's sample. */
const SAMPLE = 20;

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

/**
 * How a source chains its events: `plaintext` hashes them into the family's chain itself (for a
 * plain store); `by-the-store` leaves `prevHash` and `hash` empty for the encrypting store
 * (EncryptingEventStore), which replaces whatever hashes an append carries by the chain over
 * the sealed form as stored, as it does for every command the tracker's handler appends.
 */
export type Chaining = 'plaintext' | 'by-the-store';

/** The events of a case's next command (none when the decider refuses it), folded into its state. */
const nextEvents = (open: OpenCase, issuedAt: string, chaining: Chaining): SealedEvent[] => {
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
  const metadata = { actor: step.by, occurredAt, recordedAt: issuedAt, commandType: step.command.type, correlationId: open.familyId, causationId: open.familyId };
  if (chaining === 'by-the-store') {
    // The key order of sealEvents' metadata, so the stored metadata reads as the tracker's.
    return events.map((event) => ({ id: newEventId(), type: event.type, data: event.data, metadata: { schemaVersion: FAMILY_EVENT_SCHEMA_VERSION, ...metadata, prevHash: '', hash: '' } }));
  }
  const stream = familyStreamName(open.familyId);
  const sealed = sealEvents({ stream, firstRevision: open.revision + 1, previousHash: open.prevHash, events, schemaVersion: FAMILY_EVENT_SCHEMA_VERSION, newEventId, metadata });
  open.prevHash = sealed.at(-1)?.metadata.hash ?? open.prevHash;
  return sealed;
};

/** The demo organisations, their advocates and the lead advocate's API key (SCALE_KEY), through the organisation service. */
export const registerOrganizations = async (store: EventStore, issuedAt: string): Promise<void> => {
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
  /** Some families spread over the load (every n-th opened), for spot checks. */
  readonly sample: readonly string[];
}

/** One command's events for its family's stream, in the order the source decided them. */
export interface CaseAppend {
  readonly familyId: string;
  readonly stream: string;
  readonly events: readonly SealedEvent[];
  /** The revision the stream stands at before this append (-1: a new stream). */
  readonly expected: number;
}

/**
 * The commands of `open` interleaved cases, decided one after another by the real decider (the
 * order is the seed's): each command goes to a random open case, a case that ends is replaced
 * by a new one. `familyNumber` maps the source's n-th case to its family number (several
 * sources, one per worker thread, number their families apart).
 */
export class CasePatternSource {
  private readonly random;
  private readonly patterns;
  private readonly cases: OpenCase[];
  private opened = 0;
  private readonly counts = new Map<string, number>();

  constructor(private readonly options: { readonly open: number; readonly seed: number; readonly chaining: Chaining; readonly familyNumber?: (n: number) => number; readonly now?: Date }) {
    this.random = rng(options.seed);
    this.patterns = demoFamilies(ORGS, options.now ?? new Date());
    this.cases = Array.from({ length: options.open }, () => this.openCase());
  }

  /** The next command that gives events. */
  next(issuedAt: string): CaseAppend {
    for (;;) {
      const index = Math.floor(this.random() * this.cases.length);
      const open = this.cases[index]!;
      const events = nextEvents(open, issuedAt, this.options.chaining);
      if (open.next >= open.steps.length && open.tail <= 0) this.cases[index] = this.openCase();
      if (events.length === 0) continue;
      const expected = open.revision;
      open.revision += events.length;
      this.counts.set(open.familyId, (this.counts.get(open.familyId) ?? 0) + events.length);
      return { familyId: open.familyId, stream: familyStreamName(open.familyId), events, expected };
    }
  }

  /** The families given so far: how many, the longest and one of the shortest (at least 10 events). */
  summary(): Omit<CasePatternLoad, 'events'> {
    let longest = { familyId: '', events: 0 };
    let shortest = { familyId: '', events: Number.POSITIVE_INFINITY };
    const sample: string[] = [];
    const every = Math.max(1, Math.floor(this.counts.size / SAMPLE));
    let index = 0;
    for (const [familyId, count] of this.counts) {
      if (index % every === 0 && sample.length < SAMPLE) sample.push(familyId);
      index += 1;
      if (count > longest.events) longest = { familyId, events: count };
      if (count < shortest.events && count >= 10) shortest = { familyId, events: count };
    }
    return { families: this.counts.size, longest, shortest, sample };
  }

  private openCase(): OpenCase {
    const local = this.opened;
    this.opened += 1;
    const number = this.options.familyNumber?.(local) ?? local;
    const pattern = this.patterns[local % this.patterns.length]!;
    const long = Math.floor(local / this.patterns.length) % LONG_EVERY === local % LONG_EVERY;
    return {
      familyId: `scale-${String(number).padStart(8, '0')}`, steps: pattern.steps, next: 0,
      tail: long ? 40 + Math.floor(this.random() * 360) : 0, tailDone: 0, state: initialFamilyState, revision: -1, prevHash: undefined,
    };
  }
}

/** The append of a CaseAppend, each family's appends one after another (each expects the revision its predecessor left). */
export class FamilyOrderedAppends {
  private readonly last = new Map<string, Promise<unknown>>();

  constructor(private readonly store: EventStore) {}

  /** Appends once the family's previous append (if any) is acknowledged; fails if that one failed. */
  append(next: CaseAppend): Promise<AppendResult> {
    const append = (): Promise<AppendResult> =>
      this.store.appendToStream(next.stream, next.events as never, { expectedRevision: next.expected === -1 ? 'no_stream' : next.expected });
    const appended = (this.last.get(next.familyId) ?? Promise.resolve()).then(append);
    this.last.set(next.familyId, appended);
    const forget = (): void => {
      if (this.last.get(next.familyId) === appended) this.last.delete(next.familyId);
    };
    appended.then(forget, forget);
    return appended;
  }
}

/** Events in flight (appended, not yet acknowledged) at most: enough for full groups of the store's group commit. */
const IN_FLIGHT = 4_000;

/**
 * Appends about `target` family events (it stops after the command that reaches it) with `open`
 * cases open at a time, in this thread (loadCasePatternsInParallel, parallel-case-pattern-load.ts,
 * decides and seals on worker threads). The appends run concurrently, up to `inFlight` events
 * at once, so the store's group commit shares one sync among hundreds of them; a family's run
 * one after another. The store may be the plain one (events chained over their plaintext) or the
 * tracker's encrypting one (`chaining: 'by-the-store'`: it seals and chains them as stored).
 * `onProgress` gets the events acknowledged so far. The first failed append fails the load.
 */
export const loadCasePatterns = async (
  store: EventStore,
  target: number,
  options: { open?: number; seed?: number; inFlight?: number; chaining?: Chaining; onProgress?: (events: number) => void } = {},
): Promise<CasePatternLoad> => {
  const now = new Date();
  await registerOrganizations(store, now.toISOString());
  const source = new CasePatternSource({ open: options.open ?? 2_000, seed: options.seed ?? 17, chaining: options.chaining ?? 'plaintext', now });
  const appends = new FamilyOrderedAppends(store);
  const limit = options.inFlight ?? IN_FLIGHT;
  const window: Array<{ readonly done: Promise<void>; readonly size: number }> = [];
  let oldest = 0;
  let inFlight = 0;
  let acknowledged = 0;
  let failure: { readonly error: unknown } | undefined;
  let events = 0;
  let issuedAt = now.toISOString();
  for (let commands = 1; events < target; commands += 1) {
    if (commands % 256 === 0) issuedAt = new Date().toISOString();
    const next = source.next(issuedAt);
    const size = next.events.length;
    const done = appends.append(next).then(
      () => {
        inFlight -= size;
        acknowledged += size;
      },
      (error: unknown) => {
        failure ??= { error };
      },
    );
    window.push({ done, size });
    events += size;
    inFlight += size;
    while (inFlight > limit && oldest < window.length) {
      await window[oldest]!.done;
      oldest += 1;
      if (failure) throw failure.error;
      options.onProgress?.(acknowledged);
    }
    if (oldest > 10_000) {
      window.splice(0, oldest);
      oldest = 0;
    }
  }
  await Promise.all(window.slice(oldest).map((entry) => entry.done));
  if (failure) throw failure.error;
  options.onProgress?.(acknowledged);
  return { events, ...source.summary() };
};
