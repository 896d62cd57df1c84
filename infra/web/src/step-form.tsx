import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, gql, newCommandId } from './api';
import { errorText, t, words } from './i18n';
import { formFor, type FieldSpec } from './spec';

/** What a form needs of the family: the people, documents, matters and referrals to choose from. */
export interface FamilyChoices {
  readonly id: string;
  readonly children?: ReadonlyArray<{ id: string; givenName: string | null }> | null;
  readonly relatives?: ReadonlyArray<{ id: string; givenName: string | null; relationship: string }> | null;
  readonly documents?: ReadonlyArray<{ id: string; documentType: string }> | null;
  readonly legalMatters?: ReadonlyArray<{ id: string; matterType: string }> | null;
  readonly referrals?: ReadonlyArray<{ id: string; toOrganization: { id: string } | null }> | null;
}

export interface Payload { readonly replayed: boolean; readonly revision: number; readonly family: { readonly id: string; readonly status: string } | null }

/** Ids the step creates: the form proposes a fresh one. */
const NEW_IDS: Record<string, readonly string[]> = {
  registerChild: ['childId'], addRelative: ['relativeId'], requestDocument: ['documentId'], openLegalMatter: ['matterId'], referFamily: ['referralId'], scheduleHearing: ['deadlineId'],
};

const freshId = (field: string): string => `${field.replace(/Id$/, '')}-${crypto.randomUUID().slice(0, 8)}`;

type Option = readonly [value: string, label: string];

const choicesFor = (field: string, family: FamilyChoices | undefined): Option[] | undefined => {
  if (!family) return undefined;
  const people = {
    children: (family.children ?? []).map((child): Option => [child.id, child.givenName ?? child.id]),
    relatives: (family.relatives ?? []).map((relative): Option => [relative.id, `${relative.givenName ?? relative.id} (${words(relative.relationship)})`]),
  };
  switch (field) {
    case 'relativeId': case 'releasedToRelativeId': return people.relatives;
    case 'childId': return people.children;
    case 'subjectPersonId': case 'personId': return [...people.children, ...people.relatives];
    case 'documentId': return (family.documents ?? []).map((document): Option => [document.id, `${words(document.documentType)} (${document.id})`]);
    case 'matterId': return (family.legalMatters ?? []).map((matter): Option => [matter.id, `${words(matter.matterType)} (${matter.id})`]);
    case 'referralId': return (family.referrals ?? []).map((referral): Option => [referral.id, `${referral.id} → ${referral.toOrganization?.id ?? ''}`]);
    default: return undefined;
  }
};

const valueOf = (field: FieldSpec, form: HTMLFormElement): unknown => {
  const element = form.elements.namedItem(field.name) as HTMLInputElement | HTMLSelectElement | null;
  if (!element) return undefined;
  if (field.kind === 'boolean') return (element as HTMLInputElement).checked;
  const raw = element.value.trim();
  if (raw === '') return undefined;
  switch (field.kind) {
    case 'int': return Number(raw);
    case 'list': return raw.split(',').map((item) => item.trim()).filter(Boolean);
    case 'datetime': return new Date(raw).toISOString();
    case 'country': return raw.toUpperCase();
    default: return raw;
  }
};

/**
 * One step as a form, from the schema's input type (spec.ts). The commandId is made when the
 * form opens and kept until the step is recorded, so a double click or a retry after a lost
 * answer records it once; the submit button is disabled while a request is in flight. Field
 * errors (`extensions.field`) are shown next to their field.
 */
export const StepForm = ({ mutation, family, onDone }: { mutation: string; family?: FamilyChoices; onDone: (payload: Payload) => void }) => {
  const spec = formFor(mutation);
  const [commandId, setCommandId] = useState(newCommandId);
  const [sending, setSending] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, [mutation]);
  if (!spec) return null;
  const typeName = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input`;
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (sending || !formRef.current) return;
    const form = formRef.current;
    const input: Record<string, unknown> = { commandId, ...(family ? { familyId: family.id } : {}) };
    for (const field of spec.fields) {
      const value = valueOf(field, form);
      if (value !== undefined) input[field.name] = value;
    }
    setSending(true);
    setMessage(undefined);
    try {
      const data = await gql<Record<string, Payload>>(`mutation($input: ${typeName}!) { ${mutation}(input: $input) { replayed revision family { id status } } }`, { input });
      const payload = data[mutation]!;
      setFieldErrors({});
      setMessage({ text: payload.replayed ? t('form.replayed') : t('form.done'), error: false });
      setCommandId(newCommandId());
      form.reset();
      onDone(payload);
    } catch (error) {
      const errors = error instanceof ApiError ? error.errors : [{ message: String(error) }];
      const byField: Record<string, string> = {};
      for (const one of errors) {
        const field = 'extensions' in one ? one.extensions?.field?.split('.').pop() : undefined;
        if (field && spec.fields.some((candidate) => candidate.name === field)) byField[field] = errorText(one);
      }
      setFieldErrors(byField);
      const general = errors.filter((one) => !('extensions' in one) || !one.extensions?.field || !byField[one.extensions.field.split('.').pop() ?? '']);
      setMessage({ text: Object.keys(byField).length > 0 && general.length === 0 ? t('form.fix') : general.map((one) => errorText(one)).join(' '), error: true });
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } finally {
      setSending(false);
    }
  };
  return (
    <form ref={formRef} class="step-form" onSubmit={(event) => void submit(event)} noValidate aria-label={words(mutation)} data-command-id={commandId}>
      <h3>{words(mutation)}</h3>
      {spec.fields.map((field) => <Input key={`${mutation}-${field.name}`} field={field} mutation={mutation} family={family} error={fieldErrors[field.name]} />)}
      <p role="status" class={message?.error ? 'error' : 'ok'}>{message?.text}</p>
      <button type="submit" disabled={sending} aria-disabled={sending}>{sending ? t('form.sending') : t('form.submit')}</button>
    </form>
  );
};

const Input = ({ field, mutation, family, error }: { field: FieldSpec; mutation: string; family: FamilyChoices | undefined; error: string | undefined }) => {
  const id = `${mutation}-${field.name}`;
  const isNew = NEW_IDS[mutation]?.includes(field.name) ?? false;
  const choices = isNew ? undefined : choicesFor(field.name, family);
  const label = field.name === 'occurredAt' ? t('form.occurredAt') : words(field.name);
  const common = { id, name: field.name, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-error` : undefined, required: field.required };
  const control =
    field.kind === 'boolean' ? <input type="checkbox" {...common} required={false} />
    : field.kind === 'enum' || choices ? (
      <select {...common}>
        {!field.required || !choices ? <option value="">—</option> : null}
        {(choices ?? (field.values ?? []).map((value): Option => [value, words(value)])).map(([value, text]) => <option value={value} key={value}>{text}</option>)}
      </select>
    )
    : <input {...common} type={field.kind === 'int' ? 'number' : field.kind === 'date' ? 'date' : field.kind === 'datetime' ? 'datetime-local' : 'text'} value={isNew ? freshId(field.name) : undefined} maxLength={field.kind === 'country' ? 2 : undefined} />;
  return (
    <div class={`field${field.kind === 'boolean' ? ' check' : ''}`}>
      <label for={id}>
        {label}
        {field.required ? null : <span class="optional"> ({t('form.optional')})</span>}
        {field.kind === 'list' ? <span class="optional"> — {t('form.listHelp')}</span> : null}
      </label>
      {control}
      {error ? <p id={`${id}-error`} class="error field-error">{error}</p> : null}
    </div>
  );
};
