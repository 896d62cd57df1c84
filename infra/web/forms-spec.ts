import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLInputType, type GraphQLSchema } from 'graphql';

/**
 * What the web app knows of the API, derived from the schema when the app is built (build.ts),
 * so its forms and queries follow the schema without introspection at run time (production
 * turns introspection off): the inputs of the mutations it offers as forms, and which optional
 * parts of the API exist (search, the newer family filters, per-child status).
 */
export interface FieldSpec {
  readonly name: string;
  readonly kind: 'enum' | 'boolean' | 'int' | 'date' | 'datetime' | 'country' | 'list' | 'text';
  readonly required: boolean;
  readonly values?: readonly string[];
}

export interface FormSpec {
  readonly mutation: string;
  readonly fields: readonly FieldSpec[];
}

export interface ApiSpec {
  readonly forms: readonly FormSpec[];
  readonly familyFilterFields: readonly string[];
  readonly childFields: readonly string[];
  readonly queryFields: readonly string[];
}

/** The frequent steps (issue 16): opening a case, people, tracing, documents, court, hand-offs. */
export const FORM_MUTATIONS = [
  'openFamilyCase', 'registerChild', 'addRelative', 'startTracing', 'recordContactAttempt', 'recordLead', 'recordParentLocated',
  'recordContactEstablished', 'requestDocument', 'recordDocumentObtained', 'recordDocumentApostilled', 'recordDocumentTranslated',
  'recordDocumentServed', 'recordDocumentSigned', 'recordDocumentFiled', 'openLegalMatter', 'scheduleHearing', 'recordCourtOrder',
  'referFamily', 'acceptReferral', 'declineReferral', 'transferFamily', 'acceptTransfer', 'declineTransfer',
] as const;

/** Set by the app, never typed: the family is the page's, the commandId the form's. */
const SET_BY_APP = new Set(['familyId', 'commandId', 'expectedRevision']);

const fieldKind = (type: GraphQLInputType): FieldSpec['kind'] => {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return 'list';
  const named = getNamedType(inner);
  if (isEnumType(named)) return 'enum';
  switch (named.name) {
    case 'Boolean': return 'boolean';
    case 'Int': return 'int';
    case 'Date': return 'date';
    case 'DateTime': return 'datetime';
    case 'CountryCode': return 'country';
    default: return 'text';
  }
};

export const apiSpec = (schema: GraphQLSchema): ApiSpec => {
  const mutations = schema.getMutationType()?.getFields() ?? {};
  const forms = FORM_MUTATIONS.flatMap((mutation): FormSpec[] => {
    const input = mutations[mutation]?.args.find((arg) => arg.name === 'input');
    const type = input && getNamedType(input.type);
    if (!type || !isInputObjectType(type)) return [];
    const fields = Object.values(type.getFields())
      .filter((field) => !SET_BY_APP.has(field.name))
      .map((field): FieldSpec => {
        const named = getNamedType(field.type);
        return { name: field.name, kind: fieldKind(field.type), required: isNonNullType(field.type), ...(isEnumType(named) ? { values: named.getValues().map((value) => value.name) } : {}) };
      });
    return [{ mutation, fields }];
  });
  const filter = schema.getType('FamilyFilter');
  const child = schema.getType('Child');
  return {
    forms,
    familyFilterFields: filter && isInputObjectType(filter) ? Object.keys(filter.getFields()) : [],
    childFields: child && 'getFields' in child ? Object.keys(child.getFields()) : [],
    queryFields: Object.keys(schema.getQueryType()?.getFields() ?? {}),
  };
};
