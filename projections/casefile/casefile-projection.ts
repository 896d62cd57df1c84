import { upcastStoredFamilyEvent } from '../../services/family/upcast.js';
import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../services/event-store/port.js';
import { fold } from '../search/normalise.js';
import type { BoundProjection, Projection } from '../projection.js';
import { bindCasefileFacts, CASEFILE_FACT_TABLES } from './casefile-facts.js';
import { familyDataKeyId } from '../../services/privacy/data-key-id.js';
import { readModelSealerOf } from '../read-model-sealing.js';
import { decodePersonal, encodePersonal, type PersonalPlace } from './personal-column.js';

const FACILITY: PersonalPlace = 'casefile_facilities.facility';

const FAMILY_STREAM_PREFIX = 'family-';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Facts of the case file that the families read model does not keep, for the advocates'
 * filters and the list of relatives not yet found (issue 15 items 5 and 7). Rows per event, no
 * folded state: the families projection stays the one that decides status and access.
 *
 * - `casefile_relatives`: per relative, whether they are adverse (never on the list) or named in
 *   a "never disclose to" (on it only at FULL scope), and the tracing facts: the country where
 *   they are believed to be (TracingStarted's region), the Defender organisation tracing them,
 *   the day tracing started.
 * - `casefile_assignments`: organisations given work on the family: tracing a relative
 *   (DEFENDER) or obtaining a document (DOCUMENT), by the relative or document id.
 * - `casefile_facilities`: each child's current facility, case- and accent-folded (detained or
 *   transferred; cleared on release or repatriation), sealed like every personal value here
 *   (personal-column.ts; version 3: sealed, and every key named within its family). Facilities are FULL-scope facts: the
 *   read side filters by them only where the caller's scope is FULL.
 * - `casefile_duplicate_decisions`: each decided pair of possible duplicates (the latest
 *   decision, its reason and day): a decided pair is not offered again, in either direction.
 * - the facts of the case file, per kind of view (casefile-facts.ts, casefile-view.ts): version 2.
 * Version 4: the free-text reasons of case notes (suspension, reopening, stop-work exception,
 * failed reunification) sealed like personal values (version 3 kept them in `text` in the
 * clear), and a separation's place kept as one sealed copy per child. Version 5: an erased
 * person's consents end and keep no purposes. Version 6: a recomputed age-out's previous day
 * (`casefile_deadlines.previous_due_on`) sealed under the child (it tells the birth date).
 */
export const casefileProjection: Projection = {
  name: 'casefile',
  version: 6,
  tables: {
    casefile_relatives: `family_id TEXT NOT NULL, relative_id TEXT NOT NULL, adverse INTEGER NOT NULL DEFAULT 0, never_disclose INTEGER NOT NULL DEFAULT 0,
      believed_country TEXT, defender_organization_id TEXT, tracing_started_on TEXT, PRIMARY KEY (family_id, relative_id)`,
    casefile_assignments: 'family_id TEXT NOT NULL, kind TEXT NOT NULL, ref_id TEXT NOT NULL, organization_id TEXT NOT NULL, PRIMARY KEY (family_id, kind, ref_id)',
    casefile_facilities: 'family_id TEXT NOT NULL, child_id TEXT NOT NULL, facility TEXT NOT NULL, PRIMARY KEY (family_id, child_id)',
    casefile_duplicate_decisions: `family_id TEXT NOT NULL, person_id TEXT NOT NULL, other_family_id TEXT NOT NULL, other_person_id TEXT NOT NULL,
      same_person INTEGER NOT NULL, reason TEXT, decided_on TEXT, PRIMARY KEY (family_id, person_id, other_family_id, other_person_id)`,
    ...CASEFILE_FACT_TABLES,
  },
  indexes: [
    'CREATE INDEX IF NOT EXISTS {casefile_assignments}_organization ON {casefile_assignments} (organization_id, family_id)',
  ],
  bind: (db, table) => bindCasefile(db, table),
};

const bindCasefile = (db: Database.Database, table: (base: string) => string): BoundProjection => {
  const relatives = table('casefile_relatives');
  const addRelative = db.prepare(`INSERT INTO ${relatives} (family_id, relative_id, adverse) VALUES (?, ?, ?) ON CONFLICT (family_id, relative_id) DO UPDATE SET adverse = excluded.adverse`);
  const neverDisclose = db.prepare(`INSERT INTO ${relatives} (family_id, relative_id, never_disclose) VALUES (?, ?, 1) ON CONFLICT (family_id, relative_id) DO UPDATE SET never_disclose = 1`);
  const tracing = db.prepare(`UPDATE ${relatives} SET believed_country = coalesce(@country, believed_country), defender_organization_id = @defender, tracing_started_on = @startedOn
    WHERE family_id = @familyId AND relative_id = @relativeId`);
  const assign = db.prepare(`INSERT OR REPLACE INTO ${table('casefile_assignments')} (family_id, kind, ref_id, organization_id) VALUES (?, ?, ?, ?)`);
  const setFacility = db.prepare(`INSERT OR REPLACE INTO ${table('casefile_facilities')} (family_id, child_id, facility) VALUES (?, ?, ?)`);
  const decide = db.prepare(`INSERT OR REPLACE INTO ${table('casefile_duplicate_decisions')} (family_id, person_id, other_family_id, other_person_id, same_person) VALUES (?, ?, ?, ?, ?)`);
  const applyFacts = bindCasefileFacts(db, table);
  const sealer = readModelSealerOf(db);
  // The facility filter matches part of the folded name: opened per row, only when the filter is used (casefile-read-model.ts).
  db.function('casefile_facility', (stored: unknown) => (typeof stored === 'string' ? decodePersonal(FACILITY, stored) : null));
  const clearFacility = db.prepare(`DELETE FROM ${table('casefile_facilities')} WHERE family_id = ? AND child_id = ?`);

  const apply = (familyId: string, event: RecordedEvent): void => {
    const data = event.data as Record<string, unknown> & { personal?: Record<string, unknown> };
    switch (event.type) {
      case 'RelativeAdded':
        addRelative.run(familyId, String(data['relativeId']), data['adverse'] === true ? 1 : 0);
        break;
      case 'ProtectionConcernRecorded':
        for (const id of Array.isArray(data['neverDiscloseTo']) ? data['neverDiscloseTo'] : []) if (typeof id === 'string') neverDisclose.run(familyId, id);
        break;
      case 'TracingStarted':
        tracing.run({ familyId, relativeId: String(data['relativeId']), country: text(data['region']), defender: text(data['defenderOrganizationId']), startedOn: text(data['startedOn']) });
        if (text(data['defenderOrganizationId'])) assign.run(familyId, 'DEFENDER', String(data['relativeId']), String(data['defenderOrganizationId']));
        break;
      case 'DocumentRequested':
        if (text(data['assignedOrganizationId'])) assign.run(familyId, 'DOCUMENT', String(data['documentId']), String(data['assignedOrganizationId']));
        break;
      case 'ChildDetained':
      case 'ChildTransferred': {
        const facility = text(data.personal?.['facility']);
        const subject = text(data.personal?.['subjectId']) ?? String(data['childId']);
        if (facility) setFacility.run(familyId, String(data['childId']), encodePersonal(sealer, FACILITY, familyDataKeyId(familyId, subject), fold(facility)));
        break;
      }
      case 'PossibleDuplicateDecided':
        decide.run(familyId, String(data['personId']), String(data['otherFamilyId']), String(data['otherPersonId']), data['samePerson'] === true ? 1 : 0);
        break;
      case 'ChildReleased':
      case 'ChildRepatriated':
        clearFacility.run(familyId, String(data['childId']));
        break;
      // The facility is the erased child's personal data (a rebuild finds it erased and never stores it).
      case 'SubjectErased':
        clearFacility.run(familyId, String(data['subjectId']));
        break;
      default:
        break;
    }
    applyFacts(familyId, event);
  };

  return {
    applyBatch(events: readonly RecordedEvent[]) {
      for (const event of events) {
        if (event.stream.startsWith(FAMILY_STREAM_PREFIX)) apply(event.stream.slice(FAMILY_STREAM_PREFIX.length), upcastStoredFamilyEvent(event));
      }
    },
  };
};
