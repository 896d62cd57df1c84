import { describe, expect, it } from 'vitest';
import { apiSpec, FORM_MUTATIONS } from '../../../infra/web/forms-spec.js';
import { buildSchema } from '../../../schema/index.js';

describe("the web app's forms, derived from the schema", () => {
  const spec = apiSpec(buildSchema({ version: 'test', eventStoreKind: 'sqlite' }));
  it('has a form for every frequent step (a renamed mutation fails here, not silently in the app)', () => {
    expect(spec.forms.map((form) => form.mutation)).toEqual([...FORM_MUTATIONS]);
  });
  it('leaves familyId, commandId and expectedRevision to the app, and lists enum values', () => {
    const attempt = spec.forms.find((form) => form.mutation === 'recordContactAttempt')!;
    // stopWorkReason: typed by the advocate when a stop-work order covers the step (docs/STOP-WORK.md).
    expect(attempt.fields.map((field) => field.name)).toEqual(['relativeId', 'channel', 'result', 'occurredAt', 'stopWorkReason']);
    expect(attempt.fields.find((field) => field.name === 'result')).toMatchObject({ kind: 'enum', required: true, values: expect.arrayContaining(['REACHED', 'NO_ANSWER']) });
  });
});
