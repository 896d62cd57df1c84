import { familySeenAt, hiddenPersonIds } from '../../services/family/disclosure.js';
import { isErased } from '../../services/privacy/sealed-data.js';
import type { FamilyState } from '../../services/family/state.js';
import { EVENT_ALLOWLIST, VIEW_ALLOWLIST, WITHHELD, type DisclosureContext, type FieldRule, type IdKind, type Scope, type ViewName } from './allowlist.js';

/**
 * Applies the allowlist (allowlist.ts): a record goes out with the fields listed for the
 * reader's scope, each as its rule shows it, and nothing else.
 */
type Data = { readonly [key: string]: unknown };

/** `child#1`, `relative#2`, ...: ordinals in the order the family's events introduced them (state maps keep that order). */
const ordinals = (prefix: string, ids: Iterable<string>): Map<string, string> =>
  new Map([...ids].map((id, index) => [id, `${prefix}#${String(index + 1)}`]));

/**
 * What a reader at `scope` may know of this family: who is hidden, and the ids shown below
 * DOCUMENTS. Pass the family's current state (also for a past view of it), so a person hidden
 * now is hidden in the past too and generated ids stay the same across views and requests.
 */
export const disclosureContext = (state: FamilyState, scope: Scope): DisclosureContext => {
  const hidden = hiddenPersonIds(state, scope);
  // Ordinals count only what the scope may see (familySeenAt): a gap would tell of a hidden person or their documents.
  const seen = familySeenAt(state, scope, hidden);
  const children = ordinals('child', seen.children.keys());
  const relatives = ordinals('relative', seen.relatives.keys());
  const generated: Record<IdKind, (id: string) => string | undefined> = {
    person: (id) => children.get(id) ?? relatives.get(id),
    document: ordinalOf('document', seen.documents.keys()),
    matter: ordinalOf('matter', seen.matters.keys()),
    deadline: ordinalOf('deadline', seen.deadlines.keys()),
  };
  const hiddenRecords = new Set([
    ...[...state.documents.keys()].filter((id) => !seen.documents.has(id)).map((id) => `document:${id}`),
    ...[...state.redFlagSubjects.keys()].filter((id) => !seen.redFlagSubjects.has(id)).map((id) => `redFlag:${id}`),
  ]);
  return {
    scope,
    hidden,
    hiddenRecords,
    shownId: (kind, id) =>
      (hidden.has(id) || (kind === 'document' && hiddenRecords.has(`document:${id}`)) ? undefined : scope === 'STATUS' ? generated[kind](id) : id),
    deadlineKind: (deadlineId) => state.deadlines.get(deadlineId)?.kind,
    erased: new Set([...state.children.values(), ...state.relatives.values()].filter((person) => person.erased).map((person) => ('childId' in person ? person.childId : person.relativeId))),
  };
};

const ordinalOf = (prefix: string, ids: Iterable<string>): ((id: string) => string | undefined) => {
  let table: Map<string, string> | undefined;
  return (id) => (table ??= ordinals(prefix, ids)).get(id);
};

/** For records that name no family member (status changes, webhook payloads): nothing to generate or hide. */
export const scopeOnlyContext = (scope: Scope): DisclosureContext => ({ scope, hidden: new Set(), hiddenRecords: new Set(), shownId: () => undefined, deadlineKind: () => undefined });

const shownBy = (rule: FieldRule | undefined, value: unknown, record: Data, context: DisclosureContext): unknown => {
  const show = rule?.[context.scope];
  return show ? show(value, record, context) : WITHHELD;
};

/** The record's fields listed for the view at the reader's scope; every other field is left out. */
export const disclose = <T extends Data>(view: ViewName, record: T, context: DisclosureContext): Partial<T> => {
  const rules: Readonly<Record<string, FieldRule>> = VIEW_ALLOWLIST[view];
  const shown: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(record)) {
    const result = Object.hasOwn(rules, field) ? shownBy(rules[field], value, record, context) : WITHHELD;
    if (result !== WITHHELD) shown[field] = result;
  }
  return shown as Partial<T>;
};

/** May the reader see this field of the view at all (for resolvers that compute the value themselves)? */
export const listed = (view: ViewName, field: string, scope: Scope): boolean => {
  const rules: Readonly<Record<string, FieldRule>> = VIEW_ALLOWLIST[view];
  return Object.hasOwn(rules, field) && rules[field]?.[scope] !== undefined;
};

type EventRules = Readonly<Record<string, FieldRule | Readonly<Record<string, FieldRule>>>>;

/** Whether the event names someone hidden from the reader, or a record about them. */
const namesHidden = (rules: EventRules, data: Data, context: DisclosureContext): boolean =>
  namedPeople(rules, data).some((id) => context.hidden.has(id)) ||
  Object.entries(rules).some(([field, rule]) => {
    const names = field === 'personal' ? undefined : (rule as FieldRule).names;
    const value = data[field];
    return (names === 'document' || names === 'redFlag') && typeof value === 'string' && context.hiddenRecords.has(`${names}:${value}`);
  });

const namedPeople = (rules: EventRules, data: Data): string[] =>
  Object.entries(rules).flatMap(([field, rule]) => {
    const value = data[field];
    if (field === 'personal') return typeof value === 'object' && value !== null ? namedPeople(rule as EventRules, value as Data) : [];
    const names = (rule as FieldRule).names;
    if (names === 'person' && typeof value === 'string') return [value];
    if (names === 'people' && Array.isArray(value)) return value.filter((id): id is string => typeof id === 'string');
    return [];
  });

/** A personal part of someone the family's state records as erased. */
const erasedInState = (value: unknown, context: DisclosureContext): boolean => {
  const subjectId = typeof value === 'object' && value !== null ? (value as Data)['subjectId'] : undefined;
  return typeof subjectId === 'string' && context.erased?.has(subjectId) === true;
};

const discloseFields = (rules: EventRules, data: Data, context: DisclosureContext, prefix: string): { shown: Record<string, unknown>; redacted: string[] } => {
  const shown: Record<string, unknown> = {};
  const redacted: string[] = [];
  for (const [field, value] of Object.entries(data)) {
    const rule = Object.hasOwn(rules, field) ? rules[field] : undefined;
    if (field === 'personal' && rule && (isErased(value) || erasedInState(value, context))) {
      // The subject was erased (their key destroyed, or about to be): the reader sees that, as the scope shows the subject.
      const erasedId = (value as { subjectId: string }).subjectId;
      const subjectId = shownBy((rule as EventRules)['subjectId'], erasedId, value as Data, context);
      shown[field] = subjectId === WITHHELD ? { erased: true } : { subjectId, erased: true };
      continue;
    }
    if (field === 'personal' && rule && typeof value === 'object' && value !== null) {
      const personal = discloseFields(rule as EventRules, value as Data, context, 'personal.');
      // The subject alone says nothing the event does not: personal goes out only with a field of it.
      if (Object.keys(personal.shown).some((key) => key !== 'subjectId')) shown[field] = personal.shown;
      redacted.push(...personal.redacted);
      continue;
    }
    const result = field === 'personal' ? WITHHELD : shownBy(rule, value, data, context);
    if (result === WITHHELD) redacted.push(`${prefix}${field}`);
    else shown[field] = result;
  }
  return { shown, redacted };
};

/** Does the event name someone hidden from the reader, or a record about them (then it is a placeholder in history)? */
export const namesHiddenRecord = (type: string, data: Data, context: DisclosureContext): boolean => {
  const rules = Object.hasOwn(EVENT_ALLOWLIST, type) ? (EVENT_ALLOWLIST as unknown as Record<string, EventRules>)[type] : undefined;
  return rules !== undefined && namesHidden(rules, data, context);
};

/**
 * An event's data as the reader may see it: the fields its type lists for the scope, the rest
 * named in `redacted`. An event of an unlisted type, or naming a person hidden from the reader,
 * shows nothing but the names of its fields.
 */
export const discloseEventData = (type: string, data: Data, context: DisclosureContext): Data => {
  const rules = Object.hasOwn(EVENT_ALLOWLIST, type) ? (EVENT_ALLOWLIST as unknown as Record<string, EventRules>)[type] : undefined;
  if (!rules || namesHidden(rules, data, context)) return { redacted: Object.keys(data) };
  const { shown, redacted } = discloseFields(rules, data, context, '');
  return redacted.length > 0 ? { ...shown, redacted } : shown;
};

/** Does a shown `personal` part show anything of the person (an erased person's marker shows nothing)? */
const showsPersonal = (personal: unknown): boolean =>
  personal !== undefined && !(typeof personal === 'object' && personal !== null && (personal as Data)['erased'] === true);

/** Does the reader see any personal data of this event (for the access log): its `personal` part, or a separation's per-child copies? */
export const showsPersonalData = (shown: unknown): boolean => {
  const data = typeof shown === 'object' && shown !== null ? (shown as Data) : {};
  const places = Array.isArray(data['places']) ? (data['places'] as unknown[]) : [];
  return showsPersonal(data['personal']) || places.some((place) => showsPersonal((place as Data | null)?.['personal']));
};
