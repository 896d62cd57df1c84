import type { FamilyCommand, FamilyCommandOf } from '../../services/family/commands.js';
import { notFound, rule } from '../../services/shared/domain-error.js';
import { childView, DOCUMENTS, relativeView } from '../../projections/families/redaction.js';
import { nameWords } from '../../projections/search/normalise.js';
import type { SearchHitRow } from '../../projections/search/search-read-model.js';
import type { GraphQLContext } from '../context.js';
import { disclosureOf, stateOf } from './family.js';

type Reason = 'SAME_NAME' | 'SAME_BIRTH_DATE' | 'SAME_RELATIONSHIP' | 'SAME_PHONE' | 'SAME_IDENTIFIER';
const LOOK_AT = 50;

/**
 * The other person of a duplicate decision must be one the caller may see by that id, else
 * NOT_FOUND (as an unknown id). A family seen at STATUS shows generated ids only, and duplicates
 * are offered from DOCUMENTS up: one seen at STATUS answers as an unknown family, whatever the
 * person id (else a real id accepted would tell it exists).
 */
export const checkOtherPersonVisible = async (command: FamilyCommandOf<'DecidePossibleDuplicate'>, context: GraphQLContext): Promise<void> => {
  const row = await context.loaders.family.load(command.otherFamilyId);
  if (!row || row.viewer_scope < DOCUMENTS) throw notFound('otherFamilyId', rule`family`);
  const state = stateOf(row);
  const known = state.children.has(command.otherPersonId) || state.relatives.has(command.otherPersonId);
  if (!known || disclosureOf(row).hidden.has(command.otherPersonId)) throw notFound('otherPersonId', rule`person`);
};

/** What a register command says about the person, to look for them elsewhere. */
const lookups = (command: FamilyCommand): { personId: string; searches: Array<{ text: string; exactName: boolean }> } | undefined => {
  if (command.type === 'RegisterChild' || command.type === 'AddRelative') {
    const personId = command.type === 'RegisterChild' ? command.childId : command.relativeId;
    const name = [command.givenName, command.familyName ?? ''].join(' ');
    const phone = command.type === 'AddRelative' && command.phone ? [{ text: command.phone, exactName: false }] : [];
    return { personId, searches: [{ text: name, exactName: true }, ...phone] };
  }
  if (command.type === 'RecordIdentifier') return { personId: command.personId, searches: [{ text: command.value, exactName: false }] };
  return undefined;
};

/**
 * Possible duplicates of the person a command registered, among the people the caller may find
 * (the search index: so by name from DOCUMENTS scope up, identifiers and phones at FULL), each
 * checked against the families read model like a search hit, and with its reasons. A child is
 * offered when every name word matches exactly and the birth date is the same; a relative when
 * the name matches and the relationship is the same, or the phone matches; anyone with the same
 * identifier value. Pairs already decided are left out.
 */
export const possibleDuplicates = async (payload: { command?: FamilyCommand }, _args: unknown, context: GraphQLContext) => {
  const command = payload.command;
  const wanted = command && lookups(command);
  const search = context.search;
  if (!command || !wanted || !search) return [];
  const decided = context.casefile.decidedPairs(command.familyId, wanted.personId);
  const found = new Map<string, { hit: SearchHitRow; reasons: Set<Reason> }>();
  for (const { text, exactName } of wanted.searches) {
    if (exactName && nameWords(text).length === 0) continue;
    for (const hit of search.search(text, LOOK_AT, undefined).hits) {
      const byName = hit.rank === 0 && hit.matchedOn.includes('NAME');
      if (exactName && !byName) continue;
      const key = `${hit.familyId}/${String(hit.personRef)}`;
      const entry = found.get(key) ?? { hit, reasons: new Set<Reason>() };
      if (byName && exactName) entry.reasons.add('SAME_NAME');
      if (hit.matchedOn.includes('PHONE')) entry.reasons.add('SAME_PHONE');
      if (hit.matchedOn.includes('IDENTIFIER')) entry.reasons.add('SAME_IDENTIFIER');
      found.set(key, entry);
    }
  }
  const rows = await Promise.all([...found.values()].map(({ hit }) => context.loaders.family.load(hit.familyId)));
  return [...found.values()].flatMap(({ hit, reasons }, index) => {
    const row = rows[index];
    if (!row) return [];
    const state = stateOf(row);
    const people: Iterable<string> = hit.personKind === 'CHILD' ? state.children.keys() : state.relatives.keys();
    const id = [...people].find((candidate) => search.personRef(row.family_id, candidate) === hit.personRef);
    const disclosure = disclosureOf(row);
    if (id === undefined || disclosure.hidden.has(id)) return [];
    if (row.family_id === command.familyId && id === wanted.personId) return [];
    if (decided.has(`${command.familyId}/${wanted.personId}|${row.family_id}/${id}`)) return [];
    const child = state.children.get(id);
    const relative = state.relatives.get(id);
    if (command.type === 'RegisterChild' && reasons.has('SAME_NAME')) {
      if (child?.birthDate === command.birthDate) reasons.add('SAME_BIRTH_DATE');
      else reasons.delete('SAME_NAME');
    }
    if (command.type === 'AddRelative' && reasons.has('SAME_NAME')) {
      if (relative?.relationship === command.relationship) reasons.add('SAME_RELATIONSHIP');
      else reasons.delete('SAME_NAME');
    }
    if (reasons.size === 0) return [];
    const view = child ? childView(disclosure, state, child, context.today) : relative ? relativeView(disclosure, relative) : undefined;
    const personId = disclosure.shownId('person', id);
    if (!view || personId === undefined) return [];
    context.accessLog.record(row.family_id, 'people');
    const order: Reason[] = ['SAME_IDENTIFIER', 'SAME_NAME', 'SAME_BIRTH_DATE', 'SAME_RELATIONSHIP', 'SAME_PHONE'];
    return [{ family: row, personId, personKind: hit.personKind, displayName: view.givenName ?? null, reasons: order.filter((r) => reasons.has(r)) }];
  });
};

export const familyPayloadResolvers = { possibleDuplicates };
