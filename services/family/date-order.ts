import { dateOf, type CalendarDate } from '../shared/calendar-date.js';
import { badInput, known, rule } from '../shared/domain-error.js';
import type { FamilyCommand, FamilyCommandOf, FamilyCommandType } from './commands.js';
import type { ChildState, DatedFact, FamilyState } from './state.js';

/**
 * Dates in the right order, checked before each command's own rules. Each refusal is
 * BAD_USER_INPUT naming the command's field and the earlier fact it contradicts, never a value
 * ("releasedOn is before the child's detention (detainedOn)"). The rules (also in
 * docs/SAFETY-AND-DATES.md):
 *
 * 1. Nothing about a child is dated before the child's birth: the occurredAt of any command
 *    naming the child, separation, custody steps, reunification, and the dates of the child's
 *    legal matters (filings, hearings, orders, custody recovered, decisions).
 * 2. Custody steps follow each other: a detention, transfer, release, placement change or
 *    repatriation is not dated before the child's previous custody step.
 * 3. A relative is located (occurredAt) not before tracing started, and contact established not
 *    before they were located.
 * 4. A petition is filed not before its matter was opened (the opening's occurredAt); hearings,
 *    orders, custody recovered and decisions not before the filing; a decision not before an order.
 * 5. A reunification is not dated before the child's last custody step nor before the relative
 *    was located.
 * 6. A birth-date correction may not put the birth after any dated fact about the child already
 *    recorded (the earliest of them) nor after the arrival date.
 *
 * Facts stored before these dates were recorded (matters without openedOn, relatives located
 * without locatedOn) are not compared: the rule applies from the first dated fact on.
 */

const FACT_WORDS: Readonly<Record<string, string>> = {
  birthDate: 'birth', arrivalDate: 'arrival', separatedOn: 'separation', detainedOn: 'detention', transferredOn: 'transfer',
  releasedOn: 'release', changedOn: 'placement change', repatriatedOn: 'repatriation', reunifiedOn: 'reunification',
  openedOn: 'opening', filedOn: 'petition filing', issuedOn: 'court order', recoveredOn: 'custody recovery',
  decidedOn: 'application decision', startedOn: 'start of tracing', locatedOn: 'location',
};

const describe = (whose: string, fact: DatedFact): string => `${whose} ${FACT_WORDS[fact.field] ?? fact.field} (${fact.field})`;

/** `field` (on `on`) must not be before `earlier`. */
const notBefore = (field: string, on: CalendarDate, earlier: DatedFact | undefined, whose: string): void => {
  if (earlier !== undefined && on < earlier.on) throw badInput(field, rule`is before ${known(describe(whose, earlier))}`);
};

/** The child's birth date as a dated fact; none once the child's data was erased (the rule cannot be checked then). */
const birthOf = (child: ChildState): DatedFact | undefined => (child.birthDate === undefined ? undefined : { on: child.birthDate, field: 'birthDate' });

/** Rules 1 and 2 for a custody step of a child. */
const custodyDate = (state: FamilyState, childId: string, field: string, on: CalendarDate): void => {
  const child = state.children.get(childId);
  if (child === undefined) return;
  notBefore(field, on, birthOf(child), "the child's");
  notBefore(field, on, child.custodySince, "the child's");
};

/** Rules 1 and 4 for a dated step of a legal matter. */
const matterDate = (state: FamilyState, matterId: string, field: string, on: CalendarDate, after: 'openedOn' | 'filedOn' | 'orderIssuedOn'): void => {
  const matter = state.matters.get(matterId);
  if (matter === undefined) return;
  const child = state.children.get(matter.childId);
  if (child) notBefore(field, on, birthOf(child), "the child's");
  const opened = matter.openedOn ? { on: matter.openedOn, field: 'openedOn' } : undefined;
  const filed = matter.filedOn ? { on: matter.filedOn, field: 'filedOn' } : undefined;
  const ordered = matter.orderIssuedOn ? { on: matter.orderIssuedOn, field: 'issuedOn' } : undefined;
  notBefore(field, on, opened, "the matter's");
  if (after !== 'openedOn') notBefore(field, on, filed, "the matter's");
  if (after === 'orderIssuedOn') notBefore(field, on, ordered, "the matter's");
};

const birthCorrection = (state: FamilyState, childId: string, birthDate: CalendarDate): void => {
  const child = state.children.get(childId);
  if (child === undefined) return;
  for (const fact of [child.earliestFact, child.arrivalDate ? { on: child.arrivalDate, field: 'arrivalDate' } : undefined]) {
    if (fact !== undefined && birthDate > fact.on) throw badInput('birthDate', rule`is after ${known(describe("the child's", fact))}`);
  }
};

type Rule<T extends FamilyCommandType> = (command: FamilyCommandOf<T>, state: FamilyState) => void;

const located = (state: FamilyState, relativeId: string): DatedFact | undefined => {
  const on = state.relatives.get(relativeId)?.locatedOn;
  return on ? { on, field: 'locatedOn' } : undefined;
};

/** The rules of each command with dates of its own (every command naming a child also gets rule 1 on occurredAt). */
const RULES: { readonly [T in FamilyCommandType]?: Rule<T> } = {
  CorrectChildBirthDate: (c, s) => birthCorrection(s, c.childId, c.birthDate),
  RecordSeparation: (c, s) => {
    for (const childId of c.childIds) {
      const child = s.children.get(childId);
      if (child) notBefore('separatedOn', c.separatedOn, birthOf(child), "the child's");
    }
  },
  RecordChildDetained: (c, s) => custodyDate(s, c.childId, 'detainedOn', c.detainedOn),
  RecordChildTransferred: (c, s) => custodyDate(s, c.childId, 'transferredOn', c.transferredOn),
  RecordChildReleased: (c, s) => custodyDate(s, c.childId, 'releasedOn', c.releasedOn),
  ChangeChildPlacement: (c, s) => custodyDate(s, c.childId, 'changedOn', c.changedOn),
  RecordChildRepatriated: (c, s) => custodyDate(s, c.childId, 'repatriatedOn', c.repatriatedOn),
  RecordReunification: (c, s) => {
    custodyDate(s, c.childId, 'reunifiedOn', c.reunifiedOn);
    notBefore('reunifiedOn', c.reunifiedOn, located(s, c.relativeId), "the relative's");
  },
  RecordParentLocated: (c, s) => {
    const since = s.relatives.get(c.relativeId)?.soughtSince;
    notBefore('occurredAt', dateOf(c.occurredAt), since ? { on: since, field: 'startedOn' } : undefined, "the relative's");
  },
  RecordContactEstablished: (c, s) => notBefore('occurredAt', dateOf(c.occurredAt), located(s, c.relativeId), "the relative's"),
  RecordPetitionFiled: (c, s) => matterDate(s, c.matterId, 'filedOn', c.filedOn, 'openedOn'),
  ScheduleHearing: (c, s) => matterDate(s, c.matterId, 'hearingOn', c.hearingOn, 'filedOn'),
  RecordCourtOrder: (c, s) => matterDate(s, c.matterId, 'issuedOn', c.issuedOn, 'filedOn'),
  RecordCustodyRecovered: (c, s) => matterDate(s, c.matterId, 'recoveredOn', c.recoveredOn, 'filedOn'),
  RecordApplicationDecided: (c, s) => matterDate(s, c.matterId, 'decidedOn', c.decidedOn, 'orderIssuedOn'),
};

/** Throws BAD_USER_INPUT when a date of the command contradicts an earlier fact of the family. */
export const checkDateOrder = (command: FamilyCommand, state: FamilyState): void => {
  if ('childId' in command && typeof command.childId === 'string' && command.type !== 'RegisterChild' && command.type !== 'CorrectChildBirthDate') {
    const child = state.children.get(command.childId);
    if (child) notBefore('occurredAt', dateOf(command.occurredAt), birthOf(child), "the child's");
  }
  (RULES[command.type] as Rule<FamilyCommandType> | undefined)?.(command, state);
};
