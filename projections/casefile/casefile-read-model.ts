import { addDays, dateOf } from '../../services/shared/calendar-date.js';
import type { DeadlineKind } from '../../services/family/vocabulary.js';
import { DEADLINE_PRECISION } from '../families/allowlist.js';
import { scopeAtLeast, visibilityFor, type ViewerRole } from '../families/visibility.js';
import type { RequestQueries } from '../statement-cache.js';
import { fold } from '../search/normalise.js';
import { readCasefileFacts } from './casefile-facts-read.js';
import type { CasefileViews } from './casefile-view.js';

/** Per scope below FULL, the deadline kinds it may not time at all (DEADLINE_PRECISION NONE), as JSON for json_each. */
const TIMELESS_KINDS = Object.fromEntries((['DOCUMENTS', 'STATUS'] as const).map((scope) => [
  scope, JSON.stringify(Object.keys(DEADLINE_PRECISION).filter((kind) => DEADLINE_PRECISION[kind as DeadlineKind][scope] === 'NONE')),
])) as Record<'DOCUMENTS' | 'STATUS', string>;

/** The advocates' filters of `families` that read the case-file projection (issue 15 item 5). */
export interface CasefileFilter {
  /** Part of the current facility's name of a child, case and accents folded; FULL scope only. */
  readonly facility?: string | null;
  readonly assignedOrganizationId?: string | null;
  readonly programme?: string | null;
  readonly deadlineWithinDays?: number | null;
  readonly assignedToMyOrganization?: boolean | null;
}

/**
 * The SQL conditions (on `f`, with `@viewerOrganizationId` and `@now` bound by the families read
 * model) for the case-file filters. Each filters only by what the caller's scope may see of the
 * family: a facility only at FULL; an assignee below FULL only as the family's sharing shows it; a deadline by its day at FULL, by its calendar month below
 * (as `agingOutWithinDays`), and a kind the scope may not time at all (an SIJ age-out below
 * FULL: allowlist.ts, DEADLINE_PRECISION) never, so moving the number of days one at a time tells
 * no more than the scope may know.
 */
export const casefileFilterConditions = (filter: CasefileFilter, role: ViewerRole, now: string): { conditions: string[]; parameters: Record<string, unknown> } => {
  const conditions: string[] = [];
  const parameters: Record<string, unknown> = {};
  const full = scopeAtLeast(role, 'FULL');
  const documents = scopeAtLeast(role, 'DOCUMENTS');
  if (filter.facility) {
    conditions.push(`${full} AND EXISTS (SELECT 1 FROM casefile_facilities x WHERE x.family_id = f.family_id AND instr(casefile_facility(x.facility), @facility) > 0)`);
    parameters['facility'] = fold(filter.facility);
  }
  if (filter.assignedOrganizationId) {
    // Below FULL, only what the family's sharing shows that scope: the Defender assignments
    // about people and documents it may see (access rows via ASSIGNMENT: access-policy.ts).
    conditions.push(`((${full} AND EXISTS (SELECT 1 FROM casefile_assignments x WHERE x.family_id = f.family_id AND x.organization_id = @assignedOrganizationId))
      OR (NOT ${full} AND EXISTS (SELECT 1 FROM family_access x WHERE x.family_id = f.family_id AND x.via = 'ASSIGNMENT' AND x.organization_id = @assignedOrganizationId)))`);
    parameters['assignedOrganizationId'] = filter.assignedOrganizationId;
  }
  if (filter.assignedToMyOrganization !== undefined && filter.assignedToMyOrganization !== null) {
    const assigned = 'EXISTS (SELECT 1 FROM casefile_assignments x WHERE x.family_id = f.family_id AND x.organization_id = @viewerOrganizationId)';
    conditions.push(filter.assignedToMyOrganization ? assigned : `NOT ${assigned}`);
  }
  if (filter.programme) {
    conditions.push('f.programme = @programme');
    parameters['programme'] = filter.programme;
  }
  if (filter.deadlineWithinDays !== undefined && filter.deadlineWithinDays !== null) {
    conditions.push(`EXISTS (SELECT 1 FROM family_deadlines d WHERE d.family_id = f.family_id AND d.status = 'OPEN' AND (
      (${full} AND families_day('family_deadlines.due_on', d.due_on) <= @deadlineUntil)
      OR (NOT ${full} AND substr(families_day('family_deadlines.due_on', d.due_on), 1, 7) <= @deadlineMonth
        AND d.kind NOT IN (SELECT value FROM json_each(CASE WHEN ${documents} THEN @timelessAtDocuments ELSE @timelessAtStatus END)))))`);
    parameters['timelessAtDocuments'] = TIMELESS_KINDS.DOCUMENTS;
    parameters['timelessAtStatus'] = TIMELESS_KINDS.STATUS;
    const until = addDays(dateOf(now), filter.deadlineWithinDays);
    parameters['deadlineUntil'] = until;
    parameters['deadlineMonth'] = until.slice(0, 7);
  }
  return { conditions, parameters };
};

export interface UnlocatedRelativeFilter {
  /** Where the relative is believed to be (ISO 3166-1 alpha-2); only families at FULL scope can match. */
  readonly country?: string | null;
  readonly programme?: string | null;
  readonly monthsSinceSeparationAtLeast?: number | null;
  /** Only relatives nobody has started tracing (true), or only those being traced (false). */
  readonly tracingStarted?: boolean | null;
}

export interface UnlocatedRelativeRow {
  readonly family_id: string;
  readonly relative_id: string;
  readonly location_status: string;
  readonly believed_country: string | null;
  readonly defender_organization_id: string | null;
  readonly separated_on: string | null;
  readonly months_since_separation: number | null;
  readonly sought_since: string | null;
}

/** Calendar months from the separation's month to today's (the day is not counted: see statistics). */
const MONTHS_SINCE = `CASE WHEN f.separated_on IS NULL THEN NULL
  ELSE (CAST(strftime('%Y', @today) AS INTEGER) - CAST(strftime('%Y', f.separated_on) AS INTEGER)) * 12
     + CAST(strftime('%m', @today) AS INTEGER) - CAST(strftime('%m', f.separated_on) AS INTEGER) END`;

/**
 * Relatives not yet found (issue 15 item 7), over the families the caller may see: those being
 * traced or unreachable, and those nobody has started tracing (NOT_SOUGHT). Adverse relatives
 * and people named in a "never disclose to" only at FULL scope (they are hidden below it), and an
 * adverse relative only once someone traces them (to serve papers, say): nobody needs to find
 * an abuser otherwise. The believed country (where tracing looks) is a FULL-scope fact: below
 * FULL it is null, in lists and in counts, and the country filter matches only FULL families.
 */
export class CasefileReadModel {
  private readonly parameters: Record<string, unknown>;
  private readonly visible: string;
  private readonly full: string;
  /** The separation date (and so the months since) is DOCUMENTS data: shown, counted by and filtered on only there. */
  private readonly documents: string;

  constructor(
    private readonly queries: RequestQueries,
    viewer: { readonly organizationId: string; readonly role: ViewerRole },
    now: string,
    auditsAll: boolean,
  ) {
    this.parameters = { viewerOrganizationId: viewer.organizationId, now, today: dateOf(now), auditsAll: auditsAll ? 1 : 0 };
    this.visible = visibilityFor(viewer.role).visibleSet;
    this.full = scopeAtLeast(viewer.role, 'FULL');
    this.documents = scopeAtLeast(viewer.role, 'DOCUMENTS');
  }

  private from(): string {
    return `FROM family_relatives r JOIN families f ON f.family_id = r.family_id
      LEFT JOIN casefile_relatives c ON c.family_id = r.family_id AND c.relative_id = r.relative_id
      WHERE r.location_status IN ('NOT_SOUGHT', 'TRACING', 'UNREACHABLE')
        AND NOT (coalesce(c.adverse, 0) = 1 AND r.location_status = 'NOT_SOUGHT')
        AND ((coalesce(c.adverse, 0) = 0 AND coalesce(c.never_disclose, 0) = 0) OR ${this.full}) AND ${this.visible}`;
  }

  private believedCountry(): string {
    return `CASE WHEN ${this.full} THEN c.believed_country END`;
  }

  private monthsSince(): string {
    return `CASE WHEN ${this.documents} THEN ${MONTHS_SINCE} END`;
  }

  list(filter: UnlocatedRelativeFilter, first: number, after: { familyId: string; relativeId: string } | undefined): { rows: UnlocatedRelativeRow[]; hasNextPage: boolean; totalCount: number } {
    const conditions: string[] = [];
    const parameters: Record<string, unknown> = { ...this.parameters };
    if (filter.country) {
      conditions.push(`${this.full} AND c.believed_country = @country`);
      parameters['country'] = filter.country;
    }
    if (filter.programme) {
      conditions.push('f.programme = @programme');
      parameters['programme'] = filter.programme;
    }
    if (filter.monthsSinceSeparationAtLeast !== undefined && filter.monthsSinceSeparationAtLeast !== null) {
      conditions.push(`(${this.monthsSince()}) >= @monthsAtLeast`);
      parameters['monthsAtLeast'] = filter.monthsSinceSeparationAtLeast;
    }
    if (filter.tracingStarted !== undefined && filter.tracingStarted !== null) conditions.push(filter.tracingStarted ? "r.location_status <> 'NOT_SOUGHT'" : "r.location_status = 'NOT_SOUGHT'");
    const where = [this.from(), ...conditions].join(' AND ');
    const totalCount = this.queries.all<{ n: number }>(`SELECT count(*) AS n ${where}`, parameters)[0]?.n ?? 0;
    const rows = this.queries.all<UnlocatedRelativeRow>(
      `SELECT r.family_id, r.relative_id, r.location_status, ${this.believedCountry()} AS believed_country, c.defender_organization_id,
         f.separated_on, ${this.monthsSince()} AS months_since_separation, r.sought_since
       ${where} AND (r.family_id, r.relative_id) > (@afterFamily, @afterRelative) ORDER BY r.family_id, r.relative_id LIMIT @limit`,
      { ...parameters, afterFamily: after?.familyId ?? '', afterRelative: after?.relativeId ?? '', limit: first + 1 },
    );
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  /**
   * The case file's facts of one kind for these families, by family id, unredacted (one
   * statement; the resolvers batch by family and redact): casefile-facts-read.ts.
   */
  facts<K extends keyof CasefileViews>(kind: K, familyIds: readonly string[]): Map<string, Array<CasefileViews[K]>> {
    return readCasefileFacts(this.queries, kind, familyIds);
  }

  /** The pairs among these already decided on (either direction), as `family/person|family/person` keys. */
  decidedPairs(familyId: string, personId: string): Set<string> {
    const rows = this.queries.all<{ a: string; b: string }>(
      `SELECT family_id || '/' || person_id AS a, other_family_id || '/' || other_person_id AS b FROM casefile_duplicate_decisions
       WHERE (family_id = @familyId AND person_id = @personId) OR (other_family_id = @familyId AND other_person_id = @personId)`,
      { familyId, personId },
    );
    return new Set(rows.flatMap((row) => [`${row.a}|${row.b}`, `${row.b}|${row.a}`]));
  }

  /** statistics.unlocatedRelatives: the same relatives, by believed country and calendar months since separation. */
  counts(): Array<{ country: string | null; months_since_separation: number | null; relatives: number; not_traced: number }> {
    return this.queries.all(
      `SELECT ${this.believedCountry()} AS country, ${this.monthsSince()} AS months_since_separation, count(*) AS relatives,
         sum(r.location_status = 'NOT_SOUGHT') AS not_traced
       ${this.from()} GROUP BY 1, 2 ORDER BY 1, 2`,
      this.parameters,
    );
  }
}
