import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, gql, onStatusChanges, problemText } from './api';
import { DeadlineText, type DeadlineView } from './home';
import { currentLanguage, errorText, formatDate, t, words } from './i18n';
import { API, CHILD_EXTRA, hasTimeline } from './spec';
import { StepForm, type FamilyChoices } from './step-form';
import { Field, Section, Status, Withheld } from './widgets';

interface Family extends FamilyChoices {
  readonly status: string; readonly revision: number; readonly programme: string | null; readonly viewerScope: 'FULL' | 'DOCUMENTS' | 'STATUS'; readonly viewerCanWrite: boolean;
  readonly blockers: string[]; readonly leadOrganization: { id: string; name: string | null };
  readonly children: Array<{ id: string; givenName: string | null; birthDate: string | null; nationality: string; custody: string | null; placement: string | null; status?: string | null; blockers?: string[] | null }>;
  readonly relatives: Array<{ id: string; givenName: string | null; relationship: string; locationStatus: string; locatedCountry: string | null; notLocatedSince: string | null; adverse: boolean; preference: string | null;
    phone?: string | null; contactAttempts?: Array<{ channel: string | null; result: string | null; attemptedOn: string | null }> | null }>;
  readonly documents: Array<{ id: string; documentType: string; status: string; needsLegalisation: boolean; needsTranslation: boolean; needsService: boolean; legalised: boolean; translated: boolean; served: boolean; signed: boolean }>;
  readonly legalMatters: Array<{ id: string; matterType: string; status: string; jurisdiction: string | null; childId: string }>;
  readonly deadlines: Array<DeadlineView & { id: string; status: string; basis?: string | null }>;
  readonly referrals: Array<{ id: string; toOrganization: { id: string; name: string | null } | null; scope: string; status: string; expiresAt: string | null }>;
}

interface TimelineEvent { readonly type: string; readonly revision: number; readonly occurredAt: string; readonly actor: { organizationId: string; role: string }; readonly data: Record<string, unknown> }

const FAMILY_QUERY = `query Family($id: ID!, $language: String) {
  family(id: $id) {
    id status revision programme viewerScope viewerCanWrite blockers(language: $language) leadOrganization { id name }
    children { id givenName birthDate nationality custody placement ${CHILD_EXTRA.join(' ')} }
    relatives { id givenName relationship locationStatus locatedCountry notLocatedSince adverse preference phone contactAttempts { channel result attemptedOn } }
    documents { id documentType status needsLegalisation needsTranslation needsService legalised translated served signed }
    legalMatters { id matterType status jurisdiction childId }
    deadlines { id kind dueOn daysLeft dueMonth monthsLeft status basis }
    referrals { id toOrganization { id name } scope status expiresAt }
  }
}`;

/** Pages of 100 events (the query-cost limit allows no more with `data`), at most 20 pages. */
const TIMELINE_QUERY = 'query Timeline($id: ID!, $after: String) { familyHistory(familyId: $id, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { type revision occurredAt actor { organizationId role } data } } } }';
const TIMELINE_PAGES = 20;

type HistoryPage = { familyHistory: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: TimelineEvent }> } };

/** The family's events, oldest first. */
const loadTimeline = async (id: string): Promise<TimelineEvent[]> => {
  const events: TimelineEvent[] = [];
  let after: string | null = null;
  for (let page = 0; page < TIMELINE_PAGES; page += 1) {
    const data: HistoryPage = await gql<HistoryPage>(TIMELINE_QUERY, { id, after });
    events.push(...data.familyHistory.edges.map((edge) => edge.node));
    if (!data.familyHistory.pageInfo.hasNextPage) break;
    after = data.familyHistory.pageInfo.endCursor;
  }
  return events;
};

/** The latest contact attempt with a sought relative (channel and day as the scope shows them). */
const LastAttempt = ({ attempts }: { attempts: Array<{ channel: string | null; result: string | null; attemptedOn: string | null }> | null | undefined }) => {
  const last = attempts?.at(-1);
  if (!last) return null;
  return (
    <div class="small">
      {t('family.lastAttempt')}: {last.result ? words(last.result) : <Withheld />}{last.channel ? ` (${words(last.channel)})` : ''}{last.attemptedOn ? ` · ${formatDate(last.attemptedOn)}` : ''}
    </div>
  );
};

const FAMILY_STEPS = API.forms.map((form) => form.mutation).filter((mutation) => mutation !== 'openFamilyCase');

/**
 * A family as the caller's scope shows it, kept current: reloaded after each step recorded here
 * and whenever the status-change subscription (SSE) reports a change made elsewhere.
 */
export const FamilyPage = ({ id }: { id: string }) => {
  const [family, setFamily] = useState<Family | null>();
  const [timeline, setTimeline] = useState<TimelineEvent[]>([]);
  const [problem, setProblem] = useState<string>();
  const [step, setStep] = useState('');
  const [live, setLive] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const load = async (): Promise<void> => {
    try {
      const [{ family: found }, history] = await Promise.all([
        gql<{ family: Family | null }>(FAMILY_QUERY, { id, language: currentLanguage() }),
        hasTimeline ? loadTimeline(id) : Promise.resolve(undefined),
      ]);
      setFamily(found);
      if (history) setTimeline(history.reverse());
    } catch (error) {
      setProblem(error instanceof ApiError && error.code === 'NOT_FOUND' ? t('family.notFound') : problemText(error, errorText));
    }
  };
  useEffect(() => {
    void load().then(() => heading.current?.focus());
    const stop = onStatusChanges([id], () => void load());
    setLive(true);
    return () => { stop(); setLive(false); };
  }, [id]);
  if (problem) return <main id="main" tabIndex={-1}><p role="alert" class="error">{problem}</p><a href="#/">{t('family.back')}</a></main>;
  if (family === undefined) return <main id="main" tabIndex={-1}><p role="status">{t('loading')}</p></main>;
  if (family === null) return <main id="main" tabIndex={-1}><p role="alert">{t('family.notFound')}</p><a href="#/">{t('family.back')}</a></main>;
  const atLeastDocuments = family.viewerScope !== 'STATUS';
  const full = family.viewerScope === 'FULL';
  const names = family.children.map((child) => child.givenName).filter(Boolean).join(', ');
  const attempts = timeline.filter((event) => event.type === 'ContactAttemptMade');
  return (
    <main id="main" tabIndex={-1}>
      <p><a href="#/">← {t('family.back')}</a></p>
      <h1 ref={heading} tabIndex={-1}>{names || family.id}</h1>
      <p>
        {t('family.status')}: <strong data-testid="family-status"><Status status={family.status} /></strong> · {family.programme ? <>{words(family.programme)} · </> : null}
        {t('family.scope')}: <strong data-testid="viewer-scope">{t(`scope.${family.viewerScope}`)}</strong> · <span class="small">{family.leadOrganization.name ?? family.leadOrganization.id}</span>
        {live ? <span class="small"> · <span aria-hidden="true">●</span> {t('family.live')}</span> : null}
      </p>
      <Section title={t('family.blockers')} id="blockers">
        {family.blockers.length === 0 ? <p>{t('family.none')}</p> : <ul>{family.blockers.map((blocker) => <li key={blocker}>{blocker}</li>)}</ul>}
      </Section>
      <div class="grid">
        <Section title={t('family.children')} id="children">
          <ul class="plain" data-testid="children">
            {family.children.map((child) => (
              <li key={child.id}>
                <strong><Field value={child.givenName} shown={atLeastDocuments} /></strong>
                {child.status ? <> <Status status={child.status} /></> : null} · {t('family.nationality')} {child.nationality} · {t('family.born')} <Field value={formatDate(child.birthDate)} shown={atLeastDocuments} />
                <div class="small">{t('family.custody')}: <Field value={child.custody ? words(child.custody) : null} shown={full} /> · {t('family.placement')}: <Field value={child.placement ? words(child.placement) : null} shown={full} /></div>
                {child.blockers?.length ? <ul>{child.blockers.map((blocker) => <li key={blocker}>{blocker}</li>)}</ul> : null}
              </li>
            ))}
          </ul>
        </Section>
        <Section title={t('family.relatives')} id="relatives">
          <ul class="plain" data-testid="relatives">
            {family.relatives.map((relative) => (
              <li key={relative.id}>
                <strong><Field value={relative.givenName} shown={atLeastDocuments} /></strong> ({words(relative.relationship)}) · {t('family.location')}: {words(relative.locationStatus)}
                {relative.locationStatus === 'LOCATED' || relative.locationStatus === 'IN_CONTACT' ? <> · {t('family.locatedIn')} <Field value={relative.locatedCountry} shown={full} /></> : null}
                {relative.notLocatedSince ? <> · {t('family.since')} {formatDate(relative.notLocatedSince)}</> : null}
                {relative.adverse ? <span class="tag warn">{words('ADVERSE')}</span> : null}
                {full ? <div class="small">{t('family.phone')}: <Field value={relative.phone ?? null} shown={full} /></div> : null}
                <LastAttempt attempts={relative.contactAttempts} />
              </li>
            ))}
          </ul>
        </Section>
      </div>
      <div class="grid">
        <Section title={t('family.deadlines')} id="deadlines">
          {family.deadlines.length === 0 ? <p>{t('family.none')}</p> : <ul class="plain">{family.deadlines.map((deadline) => <li key={deadline.id}><DeadlineText deadline={deadline} /> · {words(deadline.status)}{deadline.basis ? <div class="small">{t('family.basis')}: {deadline.basis}</div> : null}</li>)}</ul>}
        </Section>
        <Section title={t('family.documents')} id="documents">
          {family.documents.length === 0 ? <p>{t('family.none')}</p> : (
            <ul class="plain">
              {family.documents.map((document) => (
                <li key={document.id}>
                  <strong>{words(document.documentType)}</strong> · {words(document.status)}
                  <ol class="pipeline">
                    {(['legalised', 'translated', 'served', 'signed'] as const)
                      .filter((stage) => stage === 'signed' || document[`needs${stage === 'legalised' ? 'Legalisation' : stage === 'translated' ? 'Translation' : 'Service'}`])
                      .map((stage) => <li key={stage} class={document[stage] ? 'done' : 'todo'}>{document[stage] ? '✓ ' : '○ '}{words(stage)}</li>)}
                  </ol>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
      <div class="grid">
        <Section title={t('family.tracing')} id="tracing">
          {family.relatives.filter((relative) => relative.locationStatus !== 'NOT_SOUGHT').map((relative) => (
            <div key={relative.id}>
              <strong><Field value={relative.givenName} shown={atLeastDocuments} /></strong> · {words(relative.locationStatus)}
              <ul class="small" aria-label={t('family.attempts')}>
                {attempts.filter((event) => event.data.relativeId === relative.id).map((event) => (
                  <li key={event.revision}>{formatDate(event.occurredAt)}: {typeof event.data.channel === 'string' ? words(event.data.channel) : <Withheld />}, {typeof event.data.result === 'string' ? words(event.data.result) : <Withheld />} ({event.actor.organizationId})</li>
                ))}
              </ul>
            </div>
          ))}
        </Section>
        <Section title={t('family.legal')} id="legal">
          {family.legalMatters.length === 0 ? <p>{t('family.none')}</p> : <ul class="plain">{family.legalMatters.map((matter) => <li key={matter.id}>{words(matter.matterType)} · {words(matter.status)} · <Field value={matter.jurisdiction} shown={full} /></li>)}</ul>}
        </Section>
      </div>
      <Section title={t('family.referrals')} id="referrals">
        {family.referrals.length === 0 ? <p>{t('family.none')}</p> : <ul class="plain">{family.referrals.map((referral) => <li key={referral.id}>{referral.toOrganization?.name ?? referral.toOrganization?.id ?? <Withheld />} · {t(`scope.${referral.scope}`)} · {words(referral.status)}</li>)}</ul>}
      </Section>
      <Section title={t('family.steps')} id="steps">
        {family.viewerCanWrite ? (
          <>
            <label for="step">{t('family.choose')}</label>{' '}
            <select id="step" value={step} onChange={(event) => setStep((event.target as HTMLSelectElement).value)}>
              <option value="">—</option>
              {FAMILY_STEPS.map((mutation) => <option value={mutation} key={mutation}>{words(mutation)}</option>)}
            </select>
            {step ? <StepForm key={step} mutation={step} family={family} onDone={() => void load()} /> : null}
          </>
        ) : <p>{t('family.readOnly')}</p>}
      </Section>
      {hasTimeline ? (
        <Section title={t('family.timeline')} id="timeline">
          <ol class="timeline" data-testid="timeline">
            {timeline.map((event) => (
              <li key={event.revision}><time dateTime={event.occurredAt}>{formatDate(event.occurredAt)}</time> {words(event.type)} <span class="small">{t('family.by')} {event.actor.organizationId}</span></li>
            ))}
          </ol>
        </Section>
      ) : null}
    </main>
  );
};
