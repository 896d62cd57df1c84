import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { familyResolvers, organizationResolvers, referralResolvers, sharingResolvers } from './resolvers/family.js';
import { familyConnectionResolvers, organizationField, queryResolvers } from './resolvers/queries.js';
import { familyMutationResolvers } from './mutations/family-mutation-resolvers.js';
import { organizationMutationResolvers } from './mutations/organization-mutation-resolvers.js';
import { stopWorkOrderMutationResolvers } from './mutations/stop-work-order-resolvers.js';
import { familyMutationSdl } from './mutations/mutation-sdl.js';
import { CountryCodeScalar, DateScalar, DateTimeScalar, JsonScalar } from './scalars.js';
import { historyResolvers } from './resolvers/history.js';
import { searchQueryResolvers } from './resolvers/search.js';
import { casefileQueryResolvers, unlocatedRelativeResolvers } from './resolvers/casefile.js';
import { familyPayloadResolvers } from './resolvers/duplicates.js';
import { casefileFactResolvers, casefileFamilyResolvers } from './resolvers/casefile-facts.js';
import { childResolvers } from './resolvers/labels.js';
import { timelineEntryResolvers, timelineResolver } from './resolvers/timeline.js';
import { statusFeedQueryResolvers, subscriptionResolvers } from './resolvers/subscriptions.js';
import { webhookMutationResolvers, webhookQueryResolvers, webhookTypeResolvers } from './resolvers/webhooks.js';

export interface SchemaDependencies {
  readonly version: string;
  readonly eventStoreKind: 'sqlite' | 'eventstoredb';
}

/** Every *.graphql file beside this module, in name order. */
const loadTypeDefs = (): string[] =>
  readdirSync(import.meta.dirname)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(import.meta.dirname, file), 'utf8'));

export const buildSchema = (dependencies: SchemaDependencies): GraphQLSchema =>
  makeExecutableSchema({
    typeDefs: [...loadTypeDefs(), familyMutationSdl()],
    resolvers: {
      Date: DateScalar,
      DateTime: DateTimeScalar,
      CountryCode: CountryCodeScalar,
      JSON: JsonScalar,
      Subscription: subscriptionResolvers,
      Mutation: { ...familyMutationResolvers, ...organizationMutationResolvers, ...stopWorkOrderMutationResolvers, ...webhookMutationResolvers },
      Query: {
        ...queryResolvers,
        ...historyResolvers,
        ...searchQueryResolvers,
        ...casefileQueryResolvers,
        ...statusFeedQueryResolvers,
        ...webhookQueryResolvers,
        serverInfo: () => ({ version: dependencies.version, eventStore: dependencies.eventStoreKind }),
      },
      FamilyConnection: familyConnectionResolvers,
      Family: { ...familyResolvers, ...casefileFamilyResolvers, timeline: timelineResolver },
      ...casefileFactResolvers,
      // The case file's nested facts of a child, and its fields that take a language (labels.ts).
      Child: { ...casefileFactResolvers.Child, ...childResolvers },
      TimelineEntry: timelineEntryResolvers,
      Referral: { ...referralResolvers, ...casefileFactResolvers.Referral },
      Sharing: sharingResolvers,
      UnlocatedRelative: unlocatedRelativeResolvers,
      FamilyPayload: familyPayloadResolvers,
      Organization: organizationResolvers,
      Viewer: { organization: organizationField },
      CaseloadEntry: { organization: organizationField },
      AccessLogEntry: { organization: organizationField },
      Webhook: webhookTypeResolvers,
    },
  });
