import { CASE_SUBJECT_ID } from '../shared/case-subject.js';
import { forbidden, invalidTransition, legalHold, notFound, rule } from '../shared/domain-error.js';
import type { FamilyCommandOf } from './commands.js';
import type { FamilyEvent } from './events.js';
import { requireNew } from './lookups.js';
import { underLegalHold, type FamilyState } from './state.js';

/**
 * Erasure and legal hold (issue 13 item 4, docs/ERASURE.md). The write policy has already run:
 * these are case control, the lead organisation's alone (access-policy.ts). None of the events
 * carries the person's data: ids, a reason from a closed vocabulary, the organisation's own
 * reference (sealed under the case subject).
 */

/**
 * The organisation's reference, if any, sealed under the case subject: it is free text to the
 * store (a docket number, or a name someone typed), and these events are never erased.
 */
const sealedReference = (reference: string | undefined): { personal?: { subjectId: string; reference: string } } =>
  (reference ? { personal: { subjectId: CASE_SUBJECT_ID, reference } } : {});

const leadAdministrator = (c: { readonly actor: { readonly role: string; readonly organizationId: string } }, s: FamilyState): boolean =>
  c.actor.role === 'ADMIN' && c.actor.organizationId === s.leadOrganizationId;

/**
 * Erases one child or relative of the family: only an ADMIN of the lead organisation, never while
 * a legal hold stands (LEGAL_HOLD, nothing recorded). A person already erased is refused
 * (INVALID_TRANSITION): erasure happens once; a retry with the same commandId answers
 * `replayed: true`. The data key is destroyed after the event is appended (infra/http/family-writer.ts),
 * and again at every start for any erased subject whose key survived a crash (infra/keys/erasure-sweep.ts).
 */
export const eraseSubject = (c: FamilyCommandOf<'EraseSubject'>, s: FamilyState): FamilyEvent[] => {
  if (!leadAdministrator(c, s)) throw forbidden(rule`Only an administrator of the lead organisation may erase a person's data`);
  const child = s.children.get(c.subjectId);
  const relative = s.relatives.get(c.subjectId);
  const person = child ?? relative;
  if (person === undefined) throw notFound('subjectId', rule`person`);
  if (underLegalHold(s)) throw legalHold(rule`A legal hold stands on this family: nobody in it can be erased until every hold is lifted`);
  if (person.erased) throw invalidTransition(rule`Cannot erase subject: the person's data is already erased`);
  return [{
    type: 'SubjectErased',
    data: { subjectId: c.subjectId, personKind: child ? 'CHILD' : 'RELATIVE', reason: c.reason, ...sealedReference(c.reference) },
  }];
};

/** Places a legal hold (the lead's advocates and administrators): preserving is never the risky step. */
export const placeLegalHold = (c: FamilyCommandOf<'PlaceLegalHold'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.legalHolds ?? new Map(), c.holdId, 'holdId', rule`legal hold`);
  return [{ type: 'LegalHoldPlaced', data: { holdId: c.holdId, reason: c.reason, ...sealedReference(c.reference) } }];
};

/** Lifts a standing legal hold: only an ADMIN of the lead organisation (lifting is what lets erasure happen). */
export const liftLegalHold = (c: FamilyCommandOf<'LiftLegalHold'>, s: FamilyState): FamilyEvent[] => {
  if (!leadAdministrator(c, s)) throw forbidden(rule`Only an administrator of the lead organisation may lift a legal hold`);
  if (s.legalHolds?.get(c.holdId)?.standing !== true) throw notFound('holdId', rule`standing legal hold`);
  return [{ type: 'LegalHoldLifted', data: { holdId: c.holdId } }];
};

/**
 * Nothing personal is recorded about a person once erased: their key is destroyed, and sealing
 * under it would fail in the store anyway; refused here with a clear error instead.
 */
export const refuseDataOfErased = (events: readonly FamilyEvent[], s: FamilyState): void => {
  for (const event of events) {
    const subjectId = (event.data as { personal?: { subjectId?: unknown } }).personal?.subjectId;
    if (typeof subjectId !== 'string') continue;
    if (s.children.get(subjectId)?.erased || s.relatives.get(subjectId)?.erased) {
      throw invalidTransition(rule`Cannot record personal data of a person whose data was erased`);
    }
  }
};
