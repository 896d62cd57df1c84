import spec from './generated/api-spec.json';

/** The API as it was when the app was built (build.ts): forms, filters, optional queries. */
export interface FieldSpec { readonly name: string; readonly kind: string; readonly required: boolean; readonly values?: readonly string[] }
export interface FormSpec { readonly mutation: string; readonly fields: readonly FieldSpec[] }

export const API = spec as { forms: FormSpec[]; familyFilterFields: string[]; childFields: string[]; queryFields: string[] };

export const hasSearch = API.queryFields.includes('search');
export const hasTimeline = API.queryFields.includes('familyHistory');
export const hasFilter = (name: string): boolean => API.familyFilterFields.includes(name);
/** Per-child status and blockers (in the UI's language: `$language`), when the schema has them. */
export const CHILD_EXTRA = ['status', 'blockers'].filter((field) => API.childFields.includes(field)).map((field) => (field === 'blockers' ? 'blockers(language: $language)' : field));
export const formFor = (mutation: string): FormSpec | undefined => API.forms.find((form) => form.mutation === mutation);
