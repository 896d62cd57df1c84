import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EventStore, RecordedEvent } from '../../services/event-store/port.js';
import { physicalTable } from '../../projections/projection.js';
import { Projector } from '../../projections/projector.js';
import { openSearchIndexFile } from '../../projections/search/search-index-file.js';
import { createSearchProjection } from '../../projections/search/search-projection.js';
import { SearchReadModel } from '../../projections/search/search-read-model.js';
import { termHasher } from '../../projections/search/search-terms.js';
import { RequestQueries, StatementCache } from '../../projections/statement-cache.js';
import { makeTempDir } from '../support/temp-dir.js';
import { formatTable, type BenchRow } from './table.js';

/**
 * Search latency (issue 15): `people` children and relatives (families of one child and three
 * relatives, each child with an A-number, each relative with a phone) under 50 lead
 * organisations, indexed by the search projection's own code (events fed to its batches, 1,000
 * per transaction, as the projector does), then 1,000 searches as one organisation's advocate:
 * misspelt names (a letter changed in a surname and a given name), names in the other order,
 * A-numbers typed with dashes, phone numbers in national form. Baseline: a lookup of one exact
 * identifier, the cheapest search there is. Names are drawn from 60 given names and 60
 * surnames, so common names match hundreds of people, as they do in a real caseload.
 */
const GIVEN = ['María', 'José', 'Juan', 'Ana', 'Luis', 'Carmen', 'Carlos', 'Rosa', 'Jorge', 'Marta', 'Pedro', 'Lucía', 'Miguel', 'Elena', 'Jesús', 'Sofía', 'Antonio', 'Isabel', 'Francisco', 'Teresa', 'Manuel', 'Patricia', 'David', 'Laura', 'Javier', 'Gabriela', 'Fernando', 'Verónica', 'Ricardo', 'Daniela', 'Alejandro', 'Mariana', 'Roberto', 'Guadalupe', 'Eduardo', 'Xiomara', 'Rafael', 'Yolanda', 'Sergio', 'Esperanza', 'Andrés', 'Dolores', 'Óscar', 'Adriana', 'Héctor', 'Beatriz', 'Raúl', 'Claudia', 'Mario', 'Silvia', 'Víctor', 'Alicia', 'Hugo', 'Julia', 'Arturo', 'Irma', 'Enrique', 'Norma', 'Ignacio', 'Consuelo'];
const SURNAMES = ['García', 'Hernández', 'López', 'Martínez', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Cruz', 'Flores', 'Gómez', 'Morales', 'Vázquez', 'Reyes', 'Jiménez', 'Torres', 'Díaz', 'Gutiérrez', 'Ruiz', 'Mendoza', 'Aguilar', 'Ortiz', 'Moreno', 'Castillo', 'Romero', 'Álvarez', 'Méndez', 'Chávez', 'Rivera', 'Juárez', 'Ramos', 'Domínguez', 'Herrera', 'Medina', 'Castro', 'Vargas', 'Guzmán', 'Velázquez', 'Muñoz', 'Rojas', 'Contreras', 'Salazar', 'Luna', 'Ortega', 'Santiago', 'Guerrero', 'Estrada', 'Bautista', 'Cortés', 'Soto', 'Alvarado', 'Espinoza', 'Lara', 'Ávila', 'Ríos', 'Cervantes', 'Silva', 'Delgado', 'Vega'];
const ORGANISATIONS = 50;
const QUERIES = 1_000;

/** A deterministic generator (mulberry32), so every run searches the same data. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

interface Person { familyId: string; lead: string; given: string; surnames: [string, string]; identifier?: string; phone?: string }

const misspell = (word: string, next: () => number): string => {
  const at = 1 + Math.floor(next() * (word.length - 1));
  const letters = 'bcdfglmnprstv';
  return word.slice(0, at) + (letters[Math.floor(next() * letters.length)] ?? 'x') + word.slice(at + 1);
};

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const ms = (value: number): string => `${value.toFixed(2)} ms`;

export const benchSearch = (people: number): Promise<BenchRow[]> => Promise.resolve(indexAndSearch(people));

const indexAndSearch = (people: number): BenchRow[] => {
  const temp = makeTempDir('tracker-bench-search-');
  try {
    const hash = termHasher(randomBytes(32));
    const db = openSearchIndexFile(join(temp.dir, 'search-index.sqlite'), randomBytes(32));
    const projection = createSearchProjection(hash);
    // The projector's constructor creates the versioned tables and views; nothing is read from the store.
    new Projector({} as EventStore, db, [projection]);
    const bound = projection.bind(db, (base) => physicalTable(base, projection.version));
    const next = random(15);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const persons: Person[] = [];
    let position = 0n;
    let batch: RecordedEvent[] = [];
    const flush = (): void => {
      if (batch.length === 0) return;
      const events = batch;
      db.transaction(() => bound.applyBatch(events)).immediate();
      batch = [];
    };
    const emit = (familyId: string, revision: number, type: string, data: Record<string, unknown>): void => {
      position += 1n;
      batch.push({ id: `e${String(position)}`, stream: `family-${familyId}`, revision, position: { commit: position, prepare: position }, type, data: data as RecordedEvent['data'], metadata: {}, recordedAt: new Date(0) });
      if (batch.length >= 1_000) flush();
    };
    const started = performance.now();
    for (let family = 0; persons.length < people; family += 1) {
      const familyId = `fam-${String(family).padStart(7, '0')}`;
      const lead = `org-${String(family % ORGANISATIONS)}`;
      let revision = 0;
      emit(familyId, revision++, 'FamilyCaseOpened', { familyId, leadOrganizationId: lead, programme: 'SEPARATED_FAMILY' });
      const surnames: [string, string] = [pick(SURNAMES), pick(SURNAMES)];
      const child: Person = { familyId, lead, given: pick(GIVEN), surnames, identifier: `A-${String(200_000_000 + family).replace(/(\d{3})(\d{3})(\d{3})/, '$1-$2-$3')}` };
      emit(familyId, revision++, 'ChildRegistered', { childId: 'child', nationality: 'GT', languages: [], needsInterpreter: false, birthDateEstimated: false, ageReviewRequired: false, personal: { subjectId: 'child', givenName: child.given, familyName: surnames.join(' '), birthDate: '2010-01-01' } });
      emit(familyId, revision++, 'IdentifierRecorded', { personId: 'child', kind: 'A_NUMBER', personal: { subjectId: 'child', value: child.identifier } });
      persons.push(child);
      for (let r = 0; r < 3 && persons.length < people; r += 1) {
        const relative: Person = { familyId, lead, given: pick(GIVEN), surnames: [r === 0 ? surnames[0] : pick(SURNAMES), pick(SURNAMES)], phone: `+502 ${String(30_000_000 + persons.length).slice(0, 4)} ${String(30_000_000 + persons.length).slice(4)}` };
        emit(familyId, revision++, 'RelativeAdded', { relativeId: `relative-${String(r)}`, relationship: 'MOTHER', biological: true, vitalStatus: 'ALIVE', adverse: false, personal: { subjectId: `relative-${String(r)}`, givenName: relative.given, familyName: relative.surnames.join(' '), phone: relative.phone } });
        persons.push(relative);
      }
    }
    flush();
    const indexMs = performance.now() - started;
    const terms = db.prepare('SELECT count(*) FROM search_postings').pluck().get() as number;

    const viewerOrganization = 'org-7';
    const own = persons.filter((person) => person.lead === viewerOrganization);
    const model = new SearchReadModel(new RequestQueries(new StatementCache(db)), hash, { organizationId: viewerOrganization, role: 'ADVOCATE' }, new Date().toISOString());
    const timeQueries = (texts: readonly string[]): { sorted: number[]; found: number } => {
      const times: number[] = [];
      let found = 0;
      for (const text of texts) {
        const at = performance.now();
        found += model.search(text, 20, undefined).hits.length > 0 ? 1 : 0;
        times.push(performance.now() - at);
      }
      return { sorted: times.sort((a, b) => a - b), found };
    };
    const mixed = Array.from({ length: QUERIES }, (_, i) => {
      const person = pick(own);
      switch (i % 4) {
        case 0: return `${misspell(person.surnames[0], next)} ${person.given}`;
        case 1: return `${person.surnames[1]} ${person.surnames[0]} ${person.given}`;
        case 2: return pick(own.filter((p) => p.identifier)).identifier ?? '';
        default: return (pick(own.filter((p) => p.phone)).phone ?? '').replace('+502 ', '');
      }
    });
    const exact = Array.from({ length: QUERIES }, () => (pick(own.filter((p) => p.identifier)).identifier ?? '').replace(/-/g, ''));
    timeQueries(mixed.slice(0, 100));
    const measured = timeQueries(mixed);
    const baseline = timeQueries(exact);
    db.close();
    const scale = `${people.toLocaleString('en-US')} people, ${terms.toLocaleString('en-US')} postings, indexed in ${(indexMs / 1000).toFixed(1)} s; ${String(own.length)} in the caller's organisation; found ${String(measured.found)}/${String(QUERIES)}`;
    return [
      { benchmark: `search p50 (${scale})`, value: ms(percentile(measured.sorted, 50)), baseline: ms(percentile(baseline.sorted, 50)), ratio: `${(percentile(measured.sorted, 50) / percentile(baseline.sorted, 50)).toFixed(1)}x`, target: 'p50 < 10 ms' },
      { benchmark: 'search p99 (misspelt names, reversed surnames, A-numbers with dashes, national phones)', value: ms(percentile(measured.sorted, 99)), baseline: ms(percentile(baseline.sorted, 99)), ratio: `${(percentile(measured.sorted, 99) / percentile(baseline.sorted, 99)).toFixed(1)}x`, target: 'p99 < 50 ms' },
    ];
  } finally {
    temp.remove();
  }
};

/** `--scale N` (or BENCH_SEARCH_PEOPLE): how many people to index; 100,000 is the figure. */
export const searchScale = (argv: readonly string[]): number => {
  const at = argv.indexOf('--scale');
  const value = at >= 0 ? argv[at + 1] : process.env['BENCH_SEARCH_PEOPLE'];
  return Number(value ?? 20_000);
};

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  process.stdout.write(`${formatTable(indexAndSearch(searchScale(process.argv)))}\n`);
}
