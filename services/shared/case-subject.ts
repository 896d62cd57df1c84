/**
 * The data subject of free text that is about a case (or an organisation) as a whole rather
 * than about one person: why service was suspended, why a case was reopened, why a step was
 * recorded under a stop-work order, why an organisation was deactivated or put under a
 * stop-work order. Such text is free text an advocate writes, so it may name people; it is
 * sealed like personal data, under this subject's key within its stream
 * (`family-<id>/case:notes`, `organization-<id>/organization:notes`: data-key-id.ts).
 *
 * The `:` keeps it apart from every person id (ids are letters, digits and dashes:
 * services/shared/input.ts), so erasing a person never destroys it and no person can be named
 * so. Erasing a person does not erase these notes (docs/ERASURE.md); nothing erases them yet.
 */
export const CASE_SUBJECT_ID = 'case:notes';
export const ORGANIZATION_SUBJECT_ID = 'organization:notes';
