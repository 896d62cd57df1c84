import { useEffect, useRef, useState } from 'preact/hooks';
import { gql, problemText } from './api';
import { currentLanguage, errorText, formatDate, t, words } from './i18n';
import { CHILD_EXTRA, hasFilter, hasSearch } from './spec';
import { Field, Section, Status, Withheld } from './widgets';

export interface DeadlineView { readonly kind: string; readonly dueOn: string | null; readonly daysLeft: number | null; readonly dueMonth: string | null; readonly monthsLeft: number | null; readonly familyId?: string }

interface FamilyRow {
  readonly id: string; readonly status: string; readonly programme: string | null; readonly blockers: string[]; readonly viewerScope: string;
  readonly children: Array<{ id: string; givenName: string | null; status?: string | null }>;
  readonly nextDeadline: DeadlineView | null;
}

const STATUSES = ['INTAKE', 'SEARCHING', 'IN_CONTACT', 'LEGAL_PROCESS', 'READY_TO_REUNIFY', 'REUNIFIED', 'CLOSED'];
const PROGRAMMES = ['SIJ', 'ASYLUM', 'TRAFFICKING_REUNIFICATION', 'DETENTION', 'SEPARATED_FAMILY'];

/** Days until a deadline, as precisely as the scope tells (months count as 30 days for sorting). */
const daysUntil = (deadline: DeadlineView | null): number => deadline?.daysLeft ?? (deadline?.monthsLeft !== null && deadline?.monthsLeft !== undefined ? deadline.monthsLeft * 30 : Number.POSITIVE_INFINITY);

export const DeadlineText = ({ deadline }: { deadline: DeadlineView }) => (
  <>
    {words(deadline.kind)}: {deadline.dueOn ? `${formatDate(deadline.dueOn)} (${t('family.daysLeft', { count: deadline.daysLeft ?? 0 })})` : deadline.dueMonth ? `${deadline.dueMonth} (${t('family.monthsLeft', { count: deadline.monthsLeft ?? 0 })})` : <Withheld />}
  </>
);

interface Filters { status: string; within: string; programme: string; facility: string; assigned: boolean }

const FAMILY_FIELDS = `id status programme blockers(language: $language) viewerScope children { id givenName ${CHILD_EXTRA.join(' ')} } nextDeadline { kind dueOn daysLeft dueMonth monthsLeft }`;

export const HomePage = () => {
  const [filters, setFilters] = useState<Filters>({ status: '', within: '', programme: '', facility: '', assigned: false });
  const [data, setData] = useState<{ families: { totalCount: number; edges: Array<{ node: FamilyRow }> }; upcomingDeadlines: DeadlineView[]; statistics: { familiesByStatusAndCountry: Array<{ status: string; families: number }> } }>();
  const [problem, setProblem] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    const filter: Record<string, unknown> = {};
    if (filters.status) filter.status = [filters.status];
    if (filters.within && hasFilter('deadlineWithinDays')) filter.deadlineWithinDays = Number(filters.within);
    if (filters.programme && hasFilter('programme')) filter.programme = filters.programme;
    if (filters.facility && hasFilter('facility')) filter.facility = filters.facility;
    if (filters.assigned && hasFilter('assignedToMyOrganization')) filter.assignedToMyOrganization = true;
    gql<NonNullable<typeof data>>(
      `query Home($filter: FamilyFilter, $language: String) { families(first: 100, filter: $filter) { totalCount edges { node { ${FAMILY_FIELDS} } } } upcomingDeadlines(withinDays: 60) { familyId kind dueOn daysLeft dueMonth monthsLeft } statistics { familiesByStatusAndCountry { status families } } }`,
      { filter, language: currentLanguage() },
    ).then(setData, (error: unknown) => setProblem(problemText(error, errorText)));
  }, [filters]);
  const counts = new Map<string, number>();
  for (const row of data?.statistics.familiesByStatusAndCountry ?? []) counts.set(row.status, (counts.get(row.status) ?? 0) + row.families);
  const families = (data?.families.edges ?? [])
    .map((edge) => edge.node)
    .filter((family) => !filters.programme || hasFilter('programme') || family.programme === filters.programme)
    .filter((family) => !filters.within || hasFilter('deadlineWithinDays') || daysUntil(family.nextDeadline) <= Number(filters.within))
    .sort((a, b) => daysUntil(a.nextDeadline) - daysUntil(b.nextDeadline) || a.id.localeCompare(b.id));
  const apply = (event: Event): void => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    setFilters({ status: value('status'), within: value('within'), programme: value('programme'), facility: value('facility'), assigned: (form.elements.namedItem('assigned') as HTMLInputElement | null)?.checked ?? false });
  };
  return (
    <main id="main" tabIndex={-1}>
      <h1 ref={heading} tabIndex={-1}>{t('home.title')}</h1>
      {hasSearch ? <SearchBox /> : null}
      {problem ? <p role="alert" class="error">{t('error', { message: problem })}</p> : null}
      <div class="grid">
        <Section title={t('home.counts')} id="counts">
          <ul class="counts" data-testid="counts">
            {STATUSES.filter((status) => counts.has(status)).map((status) => <li key={status}><Status status={status} /> <strong>{counts.get(status)}</strong></li>)}
          </ul>
        </Section>
        <Section title={t('home.deadlines')} id="deadlines">
          {data && data.upcomingDeadlines.length === 0 ? <p>{t('home.noDeadlines')}</p> : null}
          <ol class="plain">
            {(data?.upcomingDeadlines ?? []).map((deadline, index) => (
              <li key={index}><a href={`#/family/${encodeURIComponent(deadline.familyId ?? '')}`}><DeadlineText deadline={deadline} /></a></li>
            ))}
          </ol>
        </Section>
      </div>
      <form class="filters card" onSubmit={apply} aria-label={t('home.filters')}>
        <div class="field"><label for="f-status">{t('home.status')}</label>
          <select id="f-status" name="status"><option value="">{t('home.any')}</option>{STATUSES.map((status) => <option value={status} key={status}>{words(status)}</option>)}</select></div>
        <div class="field"><label for="f-within">{t('home.within')}</label><input id="f-within" name="within" type="number" min={0} max={3650} /></div>
        <div class="field"><label for="f-programme">{t('home.programme')}</label>
          <select id="f-programme" name="programme"><option value="">{t('home.any')}</option>{PROGRAMMES.map((programme) => <option value={programme} key={programme}>{words(programme)}</option>)}</select></div>
        {hasFilter('facility') ? <div class="field"><label for="f-facility">{t('home.facility')}</label><input id="f-facility" name="facility" /></div> : null}
        {hasFilter('assignedToMyOrganization') ? <div class="field check"><label for="f-assigned">{t('home.assigned')}</label><input id="f-assigned" name="assigned" type="checkbox" /></div> : null}
        <button type="submit">{t('home.apply')}</button>
      </form>
      {!data ? <p role="status">{t('loading')}</p> : (
        <>
          <p role="status">{t('home.shown', { count: families.length, total: data.families.totalCount })}</p>
          {families.length === 0 ? <p>{t('home.noFamilies')}</p> : null}
          <ul class="families" data-testid="families">
            {families.map((family) => (
              <li key={family.id} class="card family-row">
                <a href={`#/family/${encodeURIComponent(family.id)}`} class="family-link">
                  {family.children.map((child) => child.givenName).filter(Boolean).join(', ') || family.id}
                </a>{' '}
                <Status status={family.status} /> {family.programme ? <span class="tag">{words(family.programme)}</span> : null}
                <div class="small">
                  {t('home.children')}:{' '}
                  {family.children.map((child, index) => (
                    <span key={child.id}>{index > 0 ? ', ' : ''}<Field value={child.givenName} shown={family.viewerScope !== 'STATUS'} />{child.status ? <> <Status status={child.status} /></> : null}</span>
                  ))}
                </div>
                <div class="small">{t('home.nextDeadline')}: {family.nextDeadline ? <DeadlineText deadline={family.nextDeadline} /> : t('family.none')}</div>
                {family.blockers.length > 0 ? <ul class="blockers" aria-label={t('home.blockers')}>{family.blockers.map((blocker) => <li key={blocker}>{blocker}</li>)}</ul> : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
};

interface Hit { readonly personId: string; readonly personKind: string; readonly displayName: string | null; readonly matchedOn: string[]; readonly family: { readonly id: string; readonly status: string } }

/** The case-file search (issue 15): names (misspelt too), identifiers, phone numbers. */
const SearchBox = () => {
  const [hits, setHits] = useState<Hit[]>();
  const [problem, setProblem] = useState<string>();
  const search = (event: Event): void => {
    event.preventDefault();
    const text = ((event.currentTarget as HTMLFormElement).elements.namedItem('q') as HTMLInputElement).value.trim();
    if (!text) return;
    gql<{ search: { edges: Array<{ node: Hit }> } }>('query Search($text: String!) { search(text: $text, first: 20) { edges { node { personId personKind displayName matchedOn family { id status } } } } }', { text }).then(
      (data) => { setProblem(undefined); setHits(data.search.edges.map((edge) => edge.node)); },
      (error: unknown) => setProblem(problemText(error, errorText)),
    );
  };
  return (
    <section class="card search" aria-labelledby="search-title">
      <form role="search" onSubmit={search}>
        <label id="search-title" for="q">{t('search.label')}</label>
        <div class="row"><input id="q" name="q" type="search" /><button type="submit">{t('search.submit')}</button></div>
      </form>
      {problem ? <p role="alert" class="error">{t('error', { message: problem })}</p> : null}
      {hits ? (
        <div aria-live="polite">
          <h2 class="sr-only">{t('search.results')}</h2>
          {hits.length === 0 ? <p>{t('search.none')}</p> : (
            <ul class="plain" data-testid="search-results">
              {hits.map((hit) => (
                <li key={`${hit.family.id}/${hit.personId}`}>
                  <a href={`#/family/${encodeURIComponent(hit.family.id)}`}>{hit.displayName ?? <Withheld />}</a> ({words(hit.personKind)}) <Status status={hit.family.status} />{' '}
                  <span class="small">{t('search.matched')} {hit.matchedOn.map(words).join(', ')}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
};
