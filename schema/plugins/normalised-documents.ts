import {
  Kind,
  OperationTypeNode,
  parse,
  parseType,
  print,
  TypeInfo,
  valueFromAST,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

/** Query texts remembered with their normal form (a new literal id is a new text). */
const TEXTS_CACHED = 2_000;
/** Above this many literals a document is left as it is: each hoisted one adds tokens. */
const MAX_HOISTED = 64;

export interface NormalisedDocument {
  /** The document with every valid field-argument literal replaced by a variable, printed. */
  readonly query: string;
  /** The values of those variables, as a client would have sent them. */
  readonly variables: Readonly<Record<string, unknown>>;
}

const containsVariable = (value: ValueNode): boolean => {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(containsVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => containsVariable(field.value));
  return false;
};

/**
 * The normal form of a query or mutation: field-argument literals become variables, so
 * `family(id: "a")` and `family(id: "b")` are one text, parsed, validated and compiled by
 * graphql-jit once. Returns undefined (leave the request as it is) for anything it cannot
 * rewrite without changing the answer: a text that does not parse, several operations or
 * fragments, a subscription, an unknown argument, a literal that is not valid for its type (so
 * its error still names the field, from the original text), or more than MAX_HOISTED literals.
 * Literals in directives stay. A variable's value is the literal as JSON input, which every
 * scalar here reads alike as a literal or a variable (schema/scalars.ts).
 */
export const normaliseDocument = (schema: GraphQLSchema, text: string): NormalisedDocument | undefined => {
  let document: DocumentNode;
  try {
    document = parse(text, { noLocation: true, maxTokens: 10_000 });
  } catch {
    return undefined;
  }
  const [operation] = document.definitions;
  if (document.definitions.length !== 1 || operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation === OperationTypeNode.SUBSCRIPTION) return undefined;

  const taken = new Set((operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value));
  const variables: Record<string, unknown> = {};
  const definitions: VariableDefinitionNode[] = [];
  let next = 0;
  let refused = false;
  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Directive: () => false,
      Argument: (node: ArgumentNode) => {
        const type = typeInfo.getInputType();
        if (!typeInfo.getArgument() || !type) {
          refused = true;
          return undefined;
        }
        if (containsVariable(node.value)) return false;
        if (valueFromAST(node.value, type) === undefined || definitions.length >= MAX_HOISTED) {
          refused = true;
          return undefined;
        }
        let name: string;
        do name = `_${String(next++)}`;
        while (taken.has(name));
        variables[name] = valueFromASTUntyped(node.value);
        const variable = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } } as const;
        definitions.push({ kind: Kind.VARIABLE_DEFINITION, variable, type: parseType(String(type)) });
        return { ...node, value: variable };
      },
    }),
  );
  if (refused) return undefined;
  if (definitions.length === 0) return { query: print(document), variables };
  const [rewrittenOperation] = rewritten.definitions as [OperationDefinitionNode];
  const withVariables: DocumentNode = {
    ...rewritten,
    definitions: [{ ...rewrittenOperation, variableDefinitions: [...(rewrittenOperation.variableDefinitions ?? []), ...definitions] }],
  };
  return { query: print(withVariables), variables };
};

/**
 * Sends every request's query in its normal form (`normaliseDocument`) on through yoga: its
 * parse and validation cache and graphql-jit's plans are keyed by that text, so a literal id
 * no longer costs a parse, a validation and a new compiled plan. Normal forms are remembered
 * per original text (LRU).
 */
export const useNormalisedDocuments = (schema: GraphQLSchema): Plugin => {
  const cache = new LRUCache<string, NormalisedDocument | false>({ max: TEXTS_CACHED });
  return {
    onParams: ({ params, setParams }) => {
      const text = params.query;
      if (typeof text !== 'string') return;
      let normalised = cache.get(text);
      if (normalised === undefined) {
        normalised = normaliseDocument(schema, text) ?? false;
        cache.set(text, normalised);
      }
      if (normalised === false || (normalised.query === text && Object.keys(normalised.variables).length === 0)) return;
      const given = params.variables;
      if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) return;
      setParams({ ...params, query: normalised.query, variables: { ...(given ?? {}), ...normalised.variables } });
    },
  };
};
