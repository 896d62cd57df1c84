import type { ComponentChildren } from 'preact';
import { t, words } from './i18n';

/** A value the caller's scope withholds: said so, never shown as empty or "none". */
export const Withheld = () => (
  <span class="withheld" title={t('withheldHelp')}>
    {t('withheld')}
  </span>
);

/** `value`, or "withheld" when null at a scope that does not show it, or nothing when the scope shows it and it is unset. */
export const Field = ({ value, shown }: { value: ComponentChildren; shown: boolean }) =>
  value === null || value === undefined || value === '' ? (shown ? null : <Withheld />) : <>{value}</>;

export const Status = ({ status }: { status: string }) => <span class={`status status-${status.toLowerCase()}`}>{words(status)}</span>;

export const Section = ({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) => (
  <section aria-labelledby={id ?? title} class="card">
    <h2 id={id ?? title}>{title}</h2>
    {children}
  </section>
);
