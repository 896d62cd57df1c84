/**
 * Which families a caller sees, and how much of each, as SQL fragments over `families f` and
 * `family_access a`. This is the one place where read access is decided; every family query of
 * the read model (one family, pages, counts, deadlines, statistics, the status-change feed of
 * subscriptions and webhooks) is built from it.
 *
 * - Members of an organisation (ADMIN, ADVOCATE, PARTNER) see the families their organisation
 *   holds access to in force now: it leads them, accepted a referral, holds a grant, or kept
 *   read access after a transfer; their scope is the strongest such access.
 * - AUDITOR keys see, at STATUS scope, the families their organisation holds access to, and the
 *   families led by the organisations that appointed it as their auditor (every family for an
 *   auditor of the system organisation). Personal data only through an explicit grant to the
 *   auditor's organisation (`grantAccess`), at that grant's scope. Auditors never write.
 */
export type ViewerRole = 'ADMIN' | 'ADVOCATE' | 'AUDITOR' | 'PARTNER' | 'SYSTEM';

export interface VisibilitySql {
  /** A condition on `f`: the family is visible. An index seek per row, so ordered pages stop early. */
  readonly visible: string;
  /** Select-list columns `viewer_scope` (3 FULL, 2 DOCUMENTS, 1 STATUS) and `viewer_can_write` (0/1). */
  readonly columns: string;
  /** A condition on `f` for counts and aggregates over many families. */
  readonly visibleSet: string;
  /** Counts every visible family in one statement, or null when `visibleSet` must be used. */
  readonly countAll: string | null;
  /** An expression on `f`: the caller's scope number (as `viewer_scope`), NULL when the family is not visible. */
  readonly scope: string;
}

/**
 * What a scope may know of a family is kept per scope (families projection v7): these pick the
 * column of the caller's scope, `scope` being a scope number expression (NULL, an unknown
 * number: STATUS, fail closed).
 */
export const statusAt = (scope: string): string =>
  `(CASE ${scope} WHEN 3 THEN f.status WHEN 2 THEN f.status_at_documents ELSE f.status_at_status END)`;
export const unlocatedAt = (scope: string): string =>
  `(CASE ${scope} WHEN 3 THEN f.unlocated_relatives WHEN 2 THEN f.unlocated_at_documents ELSE f.unlocated_at_status END)`;
/** An audience mask (`shown_to`, `audience`: STATUS 1, DOCUMENTS 2, FULL 4) includes the scope; false for NULL. */
export const shownTo = (mask: string, scope: string): string => `coalesce((${mask} >> (${scope} - 1)) & 1 = 1, 0)`;

/**
 * The caller's access rows that are in force now (the covering index serves it). Expiry is
 * compared as an instant (`unixepoch` reads any RFC 3339 offset), not as text, so rows written
 * before expiries were normalised to UTC are judged at their real time too; an expiry SQLite
 * cannot read gives NULL, and the access is not in force (fail closed).
 */
const ACCESS_IN_FORCE = `a.organization_id = @viewerOrganizationId
  AND (a.expires_at IS NULL OR unixepoch(a.expires_at, 'subsec') > unixepoch(@now, 'subsec'))`;
const SCOPE_NUMBER = `CASE a.scope WHEN 'FULL' THEN 3 WHEN 'DOCUMENTS' THEN 2 ELSE 1 END`;
const HOLDS_ACCESS = `EXISTS (SELECT 1 FROM family_access a WHERE a.family_id = f.family_id AND ${ACCESS_IN_FORCE})`;
const HELD_SET = `f.family_id IN (SELECT a.family_id FROM family_access a WHERE ${ACCESS_IN_FORCE})`;

const MEMBER_SCOPE = `(SELECT max(${SCOPE_NUMBER}) FROM family_access a WHERE a.family_id = f.family_id AND ${ACCESS_IN_FORCE})`;

const memberVisibility: VisibilitySql = {
  visible: HOLDS_ACCESS,
  scope: MEMBER_SCOPE,
  columns: `${MEMBER_SCOPE} AS viewer_scope,
    EXISTS (SELECT 1 FROM family_access a WHERE a.family_id = f.family_id AND ${ACCESS_IN_FORCE}
      AND (a.via = 'LEAD' OR (a.via IN ('REFERRAL', 'GRANT') AND a.scope IN ('FULL', 'DOCUMENTS')))) AS viewer_can_write`,
  visibleSet: HELD_SET,
  countAll: `SELECT count(DISTINCT a.family_id) AS n FROM family_access a WHERE ${ACCESS_IN_FORCE}`,
};

/** Led by an organisation that appointed the caller's organisation as its auditor, or audits all. */
const AUDITED = `(@auditsAll = 1 OR f.lead_organization_id IN
  (SELECT o.organization_id FROM organization_auditors o WHERE o.auditor_organization_id = @viewerOrganizationId))`;

const AUDITOR_SCOPE = `coalesce((SELECT max(${SCOPE_NUMBER}) FROM family_access a WHERE a.family_id = f.family_id AND ${ACCESS_IN_FORCE}
    AND a.via = 'GRANT'), 1)`;

const auditorVisibility: VisibilitySql = {
  visible: `(${AUDITED} OR ${HOLDS_ACCESS})`,
  scope: `(CASE WHEN ${AUDITED} OR ${HOLDS_ACCESS} THEN ${AUDITOR_SCOPE} END)`,
  columns: `${AUDITOR_SCOPE} AS viewer_scope, 0 AS viewer_can_write`,
  visibleSet: `(${AUDITED} OR ${HELD_SET})`,
  countAll: null,
};

/**
 * A condition on `f`: the caller's scope on the family is at least `scope` (for filters on facts
 * only that scope may see: a filter the scope cannot see would tell the fact by what it keeps).
 * Auditors reach DOCUMENTS or FULL only through a grant, as in their `viewer_scope`.
 */
export const scopeAtLeast = (role: ViewerRole, scope: 'DOCUMENTS' | 'FULL'): string =>
  `EXISTS (SELECT 1 FROM family_access a WHERE a.family_id = f.family_id AND ${ACCESS_IN_FORCE}
    AND a.scope IN (${scope === 'FULL' ? "'FULL'" : "'FULL', 'DOCUMENTS'"})${role === 'AUDITOR' ? " AND a.via = 'GRANT'" : ''})`;

export const visibilityFor = (role: ViewerRole): VisibilitySql => (role === 'AUDITOR' ? auditorVisibility : memberVisibility);
