import { getNamedType, getOperationAST, Kind, OperationTypeNode, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { Projection } from '../../projections/projection.js';
import { ACCESS_LOG_STREAM_PREFIX } from '../../services/access-log/personal-data-viewed.js';
import type { GraphQLContext } from '../context.js';
import { acceptLanguageOf } from '../resolvers/timeline.js';
import { CACHEABLE_FIELDS } from './cacheable-fields.js';

/** At most this much answer text is kept (JSON characters, all entries together). */
const MAX_CACHED_CHARS = 32 * 1024 * 1024;

interface CachedAnswer {
  readonly result: ExecutionResult;
  /** The reads of personal data the answer holds: logged again for every request it answers. */
  readonly views: ReadonlyArray<{ readonly familyId: string; readonly fields: 'people' | 'history' }>;
  /** The read models' generation it was computed at. */
  readonly generation: number;
  /** The day and the instant (epoch ms) it was computed at, and until when access stays as it was then. */
  readonly today: string;
  readonly computedAt: number;
  readonly validUntil: number;
}

/**
 * Answers of `families` and `family` queries kept per caller, operation and variables, reused only
 * while nothing they were computed from may have changed:
 * - the read models: every projector batch holding an event other than an access-log entry
 *   moves the generation (`watching` wraps the projections), and an answer computed while it
 *   moved is not kept; so a revoked grant, a transfer or an erasure takes effect with the batch
 *   that projects it, as it does without the cache;
 * - time: the day (blockers, days left), and the earliest expiry ahead of the caller's
 *   organisation's access (an expired grant is never served from the cache);
 * - the caller: the key's user, organisation and role, the Accept-Language header and the
 *   deadline horizon are part of the key; two callers never share an answer.
 * The caller's key is checked and the read models' readiness judged before (the context
 * factory), so a revoked key or a stalled read model answers as without the cache. A cached
 * answer still writes its access-log entry (the same families and fields) before it leaves.
 * Limits: the answers hold personal data in memory like the decoded states do, bounded by
 * MAX_CACHED_CHARS; `clear` drops them (after an erasure).
 */
export class ResponseCache {
  private generation = 0;
  constructor() {
    everyCache.add(new WeakRef(this));
  }

  private readonly answers = new LRUCache<string, CachedAnswer>({ maxSize: MAX_CACHED_CHARS, sizeCalculation: (answer) => Math.max(1, JSON.stringify(answer.result).length) });
  private readonly eligible = new WeakMap<DocumentNode, boolean>();

  /** The projections as given, each of whose batches that may change an answer moves the generation first. */
  watching(projections: readonly Projection[]): Projection[] {
    return projections.map((projection) => ({
      ...projection,
      bind: (db, table) => {
        const bound = projection.bind(db, table);
        return Object.assign(Object.create(bound) as typeof bound, {
          applyBatch: (events: Parameters<typeof bound.applyBatch>[0]) => {
            // Before the rows change, in the same synchronous step: no request can read the new rows at the old generation.
            if (events.some((event) => !event.stream.startsWith(ACCESS_LOG_STREAM_PREFIX))) this.changed();
            bound.applyBatch(events);
          },
        });
      },
    }));
  }

  /** Something an answer may have been computed from changed: no earlier answer is served again. */
  changed(): void {
    this.generation += 1;
  }

  /** Drops every kept answer (they hold people's data as shown). */
  clear(): void {
    this.changed();
    this.answers.clear();
  }

  /** The yoga plugin; it must come after useAccessLog (whose flush then writes a cached answer's entry too). */
  plugin(schema: GraphQLSchema): Plugin {
    return {
      onExecute: ({ args, setResultAndStopExecution }) => {
        const { contextValue, document, operationName, variableValues } = args as unknown as ExecutionArgs;
        const context = contextValue as GraphQLContext;
        if (!this.isEligible(schema, document, operationName)) return undefined;
        const key = keyOf(context, document, operationName, variableValues);
        if (key === undefined) return undefined;
        const now = Date.parse(context.readModel.now);
        const kept = this.answers.get(key);
        if (kept && kept.generation === this.generation && kept.today === context.today && now >= kept.computedAt && now < kept.validUntil) {
          for (const view of kept.views) context.accessLog.record(view.familyId, view.fields);
          setResultAndStopExecution(kept.result);
          return undefined;
        }
        const generation = this.generation;
        return {
          onExecuteDone: ({ result }) => {
            if (generation !== this.generation || !isPlainResult(result) || result.errors !== undefined || result.data === null || result.data === undefined) return;
            this.answers.set(key, {
              result, views: context.accessLog.recorded(), generation, today: context.today, computedAt: now, validUntil: context.readModel.accessUnchangedUntil(),
            });
          },
        };
      },
    };
  }

  /** A query operation of a document whose every field (of every operation and fragment) is listed in CACHEABLE_FIELDS. */
  private isEligible(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): boolean {
    let fieldsCacheable = this.eligible.get(document);
    if (fieldsCacheable === undefined) {
      fieldsCacheable = onlyCacheableFields(schema, document);
      this.eligible.set(document, fieldsCacheable);
    }
    return fieldsCacheable && getOperationAST(document, operationName)?.operation === OperationTypeNode.QUERY;
  }
}

/** Every cache of the process (several trackers run in one test process), for `forgetAllAnswers`. */
const everyCache = new Set<WeakRef<ResponseCache>>();

/** Drops the answers of every cache in the process (after an erasure, with the decoded states: schema/resolvers/family.ts). */
export const forgetAllAnswers = (): void => {
  for (const reference of everyCache) {
    const cache = reference.deref();
    if (cache) cache.clear();
    else everyCache.delete(reference);
  }
};

const CACHEABLE: ReadonlyMap<string, ReadonlySet<string>> = new Map(Object.entries(CACHEABLE_FIELDS).map(([type, fields]) => [type, new Set(fields)]));
/** Arguments of `family` that read the event store (a past state). */
const PAST_ARGUMENTS: ReadonlySet<string> = new Set(['asOf', 'atRevision']);

/** Whether every field of the document is listed in CACHEABLE_FIELDS (`family` without a past `asOf` or `atRevision`). */
export const onlyCacheableFields = (schema: GraphQLSchema, document: DocumentNode): boolean => {
  if (document.definitions.some((definition) => definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION)) return false;
  let cacheable = true;
  const typeInfo = new TypeInfo(schema);
  visit(document, visitWithTypeInfo(typeInfo, {
    Field: (node) => {
      if (node.name.value === '__typename') return undefined;
      const parent = typeInfo.getParentType();
      const listed = parent ? CACHEABLE.get(getNamedType(parent).name) : undefined;
      if (!listed?.has(node.name.value) || (parent?.name === 'Query' && node.arguments?.some((argument) => PAST_ARGUMENTS.has(argument.name.value)))) {
        cacheable = false;
      }
      return undefined;
    },
  }));
  return cacheable;
};

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;
const idOf = (document: DocumentNode): number => {
  let id = documentIds.get(document);
  if (id === undefined) {
    id = nextDocumentId++;
    documentIds.set(document, id);
  }
  return id;
};

/** Everything besides the read models and the time that an answer depends on; undefined: not cached. */
const keyOf = (context: GraphQLContext, document: DocumentNode, operationName: string | null | undefined, variables: unknown): string | undefined => {
  let variablesText: string;
  try {
    variablesText = JSON.stringify(variables ?? {});
  } catch {
    return undefined;
  }
  const { userId, organizationId, role } = context.viewer;
  return JSON.stringify([userId, organizationId, role, acceptLanguageOf(context), context.deadlineHorizonDays ?? null, idOf(document), operationName ?? null, variablesText]);
};

const isPlainResult = (result: unknown): result is ExecutionResult =>
  typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result);
