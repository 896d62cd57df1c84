import { invalidTransition, known, rule, type Known } from '../shared/domain-error.js';
import { relativesOf } from './child-relations.js';
import type { FamilyState, RelativeState, SafetyGate, SafetyOverrideState } from './state.js';
import type { BlockerMessage } from './labels.js';

/**
 * Safety gates: a release, a placement, a reunification (planned or completed) or a repatriation
 * involving a person with an UNSAFE safety assessment or an open red flag, against a declared
 * preference, or with a non-biological caregiver whose relationship is not verified, is refused
 * with INVALID_TRANSITION naming each reason, unless an override recorded beforehand
 * (RecordSafetyOverride: who, role, reason, its own event) covers it.
 *
 * Overrides are single use: the step they let through lists them in its event
 * (`safetyOverrideIds`) and they are consumed; the next step needs a new one. An override names
 * the child, the gate and optionally the person; without a person it covers that gate for anyone
 * in the child's next step. Messages name relationships and gates, never a person's name or an id.
 */

/** Who takes part in a gated step, and which gates apply to the step. */
export interface GatedStep {
  readonly childId: string;
  /** The relative the child goes to, if the step names one. */
  readonly caregiverId: string | undefined;
  /** Repatriation, or reunification outside the US: a declared "child stays for protection" applies. */
  readonly leavesTheUs: boolean;
  /** Reunification (planned or completed): a non-biological caregiver needs a verified relationship. */
  readonly reunifies: boolean;
}

interface Violation {
  readonly gate: SafetyGate;
  /** Undefined: a red flag stored without a subject, which concerns everyone. */
  readonly personId: string | undefined;
  readonly reason: Known;
}

const words = (code: string): string => code.toLowerCase().replaceAll('_', ' ');

/** Whether the relative is, for this child, a caregiver not known to be biologically related. */
export const isNonBiological = (relative: RelativeState, childId: string): boolean => {
  const forChild = relative.relationshipVerified ? undefined : relative.biologicalFor?.get(childId);
  const biological = forChild !== undefined ? forChild : relative.biological;
  if (biological === false) return true;
  const stepOrOther = ['STEPFATHER', 'STEPMOTHER', 'OTHER_CAREGIVER'].includes(relative.relationship);
  return stepOrOther && biological !== true;
};

const redFlagViolations = (state: FamilyState, personIds: readonly string[], who: (personId: string) => Known): Violation[] =>
  [...state.redFlagSubjects.entries()]
    .filter(([flagId, subject]) => state.openRedFlags.has(flagId) && (subject === undefined || personIds.includes(subject)))
    .map(([, subject]): Violation => ({
      gate: 'OPEN_RED_FLAG',
      personId: subject,
      reason: known(subject === undefined ? 'an open red flag concerns the family' : rule`an open red flag concerns the ${who(subject)}`),
    }));

const violations = (state: FamilyState, step: GatedStep): Violation[] => {
  const caregiver = step.caregiverId ? state.relatives.get(step.caregiverId) : undefined;
  // Relationships are words of the vocabulary; ids came with requests and are never repeated.
  const who = (personId: string): Known => known(personId === step.childId ? 'child' : words(state.relatives.get(personId)?.relationship ?? 'person'));
  const persons = [step.childId, ...(caregiver ? [caregiver.relativeId] : [])];
  const found: Violation[] = [];
  if (caregiver?.safetyOutcome === 'UNSAFE') {
    found.push({ gate: 'UNSAFE_ASSESSMENT', personId: caregiver.relativeId, reason: known(rule`the ${who(caregiver.relativeId)} has an UNSAFE safety assessment`) });
  }
  found.push(...redFlagViolations(state, persons, who));
  if (step.reunifies && caregiver && isNonBiological(caregiver, step.childId) && !caregiver.relationshipVerified) {
    found.push({ gate: 'UNVERIFIED_RELATIONSHIP', personId: caregiver.relativeId, reason: known(rule`the ${who(caregiver.relativeId)} is not biologically related and the relationship is not verified`) });
  }
  if (step.leavesTheUs) {
    for (const relative of state.relatives.values()) {
      if (relative.preference === 'CHILD_STAYS_FOR_PROTECTION' && !relative.adverse && relative.location !== 'DECEASED') {
        found.push({ gate: 'DECLARED_PREFERENCE', personId: relative.relativeId, reason: known(rule`the ${who(relative.relativeId)} declared that the child stays for protection`) });
      }
    }
  }
  return found;
};

const covers = (override: SafetyOverrideState, childId: string, violation: Violation): boolean =>
  !override.consumed && override.childId === childId && override.gate === violation.gate &&
  (override.personId === undefined || override.personId === violation.personId);

/**
 * Checks the gates of one step. Returns the overrides it uses (for the step's event to consume);
 * throws INVALID_TRANSITION naming every reason not covered by an override.
 */
export const passSafetyGates = (state: FamilyState, step: GatedStep, action: Known): string[] => {
  const used = new Set<string>();
  const uncovered: Violation[] = [];
  for (const violation of violations(state, step)) {
    const override = [...state.safetyOverrides.values()].find((candidate) => covers(candidate, step.childId, violation));
    if (override) used.add(override.overrideId);
    else uncovered.push(violation);
  }
  if (uncovered.length > 0) {
    const reasons = known(uncovered.map((violation) => violation.reason).join('; '));
    const gates = [...new Set(uncovered.map((violation) => violation.gate))].map(known);
    throw invalidTransition(rule`Cannot ${action}: ${reasons} (an ADMIN of the lead organisation may record a safety override: ${gates})`);
  }
  return [...used];
};

/** The `safetyOverrideIds` field of a gated step's event, absent when none was used. */
export const overridesUsed = (ids: readonly string[]): { safetyOverrideIds?: readonly string[] } =>
  ids.length > 0 ? { safetyOverrideIds: ids } : {};

/**
 * Blockers about verification and safety, per child, naming relationships (never people). For
 * each child not yet reunified: when a reunification is planned, the planned caregiver's
 * unverified identity, unverified relationship or UNSAFE assessment; while none is planned, every
 * living, non-adverse caregiver of the child not biologically related to it whose relationship is
 * not verified (it blocks reunification with them). `detailed: false` (a reader below DOCUMENTS)
 * leaves out what would tell an assessment's outcome or a declared biological tie (DOCUMENTS data).
 */
export const verificationBlockers = (state: FamilyState, detailed: boolean): Array<{ readonly childId: string; readonly message: BlockerMessage }> => {
  const found: Array<{ childId: string; message: BlockerMessage }> = [];
  for (const [childId, child] of state.children) {
    if (state.reunifiedChildIds.has(childId)) continue;
    const planned = child.reunificationPlannedWith ? state.relatives.get(child.reunificationPlannedWith) : undefined;
    if (planned) {
      const values = { who: { relationship: planned.relationship } };
      if (!state.verifiedIdentities.has(planned.relativeId)) found.push({ childId, message: { key: 'identityNotVerified', values } });
      if (!planned.relationshipVerified) found.push({ childId, message: { key: 'relationshipNotVerified', values } });
      if (detailed && planned.safetyOutcome === 'UNSAFE') found.push({ childId, message: { key: 'safetyUnsafe', values } });
      continue;
    }
    if (!detailed) continue;
    for (const relative of relativesOf(state, childId)) {
      if (relative.adverse || relative.location === 'DECEASED' || relative.relationshipVerified) continue;
      if (isNonBiological(relative, childId)) found.push({ childId, message: { key: 'relationshipNotVerified', values: { who: { relationship: relative.relationship } } } });
    }
  }
  return found;
};
