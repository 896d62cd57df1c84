import type { DocumentNode } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { graphqlPlugins } from '../../../infra/http/app.js';
import { createLogger } from '../../../infra/logger.js';
import { buildSchema } from '../../../schema/index.js';
import { normaliseDocument } from '../../../schema/plugins/normalised-documents.js';

/**
 * Regression (issue 17, item 5): every distinct query text was parsed, validated and compiled by
 * graphql-jit again (its plans are kept per parsed document, and yoga's parse cache is keyed by
 * the text), so `family(id: "...")` with the id written as a literal compiled a new plan per id:
 * 8-12x slower at p50 than with a variable on a large store. The tracker's GraphQL pipeline now
 * turns literals into variables first, so every id runs the same document and plan.
 */
const schema = buildSchema({ version: 'test', eventStoreKind: 'sqlite' });

/** The tracker's plugins, plus one that records what reaches execution and stops there. */
const pipeline = () => {
  const executed: Array<{ document: DocumentNode; variables: unknown }> = [];
  const recorder: Plugin = {
    onExecute: ({ args, setResultAndStopExecution }) => {
      executed.push({ document: args.document, variables: args.variableValues });
      setResultAndStopExecution({ data: null });
    },
  };
  const yoga = createYoga({
    schema,
    plugins: [...graphqlPlugins({ schema, production: true, logger: createLogger('silent') }), recorder],
    context: () => ({ accessLog: { flush: () => Promise.resolve() } }),
    logging: false,
  });
  const post = async (query: string, variables?: Record<string, unknown>) =>
    (await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json() as Promise<{ errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  return { executed, post };
};

describe('query documents are cached by their normal form', () => {
  it('family(id) with different literal ids runs one parsed document (one graphql-jit plan)', async () => {
    const { executed, post } = pipeline();
    await post('{ family(id: "fam-1") { id status } }');
    await post('{ family(id: "fam-2") { id status } }');
    await post('query($id: ID!) { family(id: $id) { id status } }', { id: 'fam-3' });
    expect(executed).toHaveLength(3);
    expect(executed[1]!.document).toBe(executed[0]!.document);
    expect(executed.map((run) => Object.values(run.variables as object))).toEqual([['fam-1'], ['fam-2'], ['fam-3']]);
  });

  it('a mutation with an input object literal runs one document whatever its values', async () => {
    const { executed, post } = pipeline();
    const mutation = (familyId: string) => `mutation { recordContactAttempt(input: { familyId: "${familyId}", relativeId: "r1", channel: PHONE, result: NO_ANSWER }) { revision } }`;
    await post(mutation('a'));
    await post(mutation('b'));
    expect(executed[1]!.document).toBe(executed[0]!.document);
    expect(executed[1]!.variables).toEqual({ _0: { familyId: 'b', relativeId: 'r1', channel: 'PHONE', result: 'NO_ANSWER' } });
  });

  it('an invalid literal is left as written: its error names the field, not a variable', async () => {
    const { executed, post } = pipeline();
    const answer = await post('mutation { registerChild(input: { familyId: "f", childId: "c", givenName: "A", birthDate: "2024-02-30", birthDateEstimated: false, nationality: "GT", languages: ["es"], needsInterpreter: false }) { revision } }');
    expect(executed).toHaveLength(0);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'birthDate' });
    expect(answer.errors?.[0]?.message).not.toMatch(/\$_0|2024-02-30/);
  });
});

describe('normaliseDocument', () => {
  it('keeps the client’s variables and directives, hoists the rest with their declared types', () => {
    const normalised = normaliseDocument(schema, 'query Q($after: String) { families(first: 5, after: $after) @include(if: true) { totalCount } }');
    expect(normalised).toEqual({
      query: 'query Q($after: String, $_0: Int) {\n  families(first: $_0, after: $after) @include(if: true) {\n    totalCount\n  }\n}',
      variables: { _0: 5 },
    });
  });

  it('leaves alone what it cannot rewrite without changing the answer', () => {
    expect(normaliseDocument(schema, '{ family(id: "a") { ...F } } fragment F on Family { id }')).toBeUndefined();
    expect(normaliseDocument(schema, '{ family(nope: "a") { id } }')).toBeUndefined();
    expect(normaliseDocument(schema, '{ families(first: "five") { totalCount } }')).toBeUndefined();
    expect(normaliseDocument(schema, 'subscription { statusChanged { familyId } }')).toBeUndefined();
    expect(normaliseDocument(schema, '{ family(id: ')).toBeUndefined();
  });
});
