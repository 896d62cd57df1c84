import type { Express, Request, Response } from 'express';
import { execute, GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { stringify } from 'csv-stringify/sync';
import type { GraphQLContext } from '../../schema/context.js';
import type { Logger } from '../logger.js';
import { clientError } from './client-errors.js';
import { chargeHttpCaller, type RateLimiter } from '../../schema/plugins/rate-limit.js';

/**
 * CSV exports for reporting (issue 15, item 8): `GET /exports/caseload.csv` (one row per family
 * the caller may see) and `GET /exports/statistics.csv` (the `statistics` query, one count per
 * row), with the same `Authorization: Bearer <key>` as /graphql.
 *
 * Guarantees:
 * - Every cell comes from a GraphQL query run against the same schema and resolvers with the
 *   caller's own context, so it goes through the same visibility and allowlist as /graphql: a
 *   field the caller's scope withholds is an empty cell (never a value the API would not show).
 * - Before a page of rows is written, the families on it are appended to the access log
 *   (`export:caseload:<SCOPE>`, the scope naming which columns were filled; `export:statistics`
 *   for each family counted); if that append fails, nothing more is sent (a failure before the
 *   first row is HTTP 503, after it the response is cut off, never completed).
 * - Pages of PAGE families, one context each (authentication and access judged again per page),
 *   written with backpressure: memory holds one page, whatever the caseload.
 * - Cells are quoted by csv-stringify, and a cell that starts with = + - @ tab or CR is prefixed
 *   with ' (`escape_formulas`), so a spreadsheet never runs a name as a formula.
 * Limit: pages are read one after the other, so a family changed during an export may show a
 * later state than one before it; each family appears once (pages follow the id order).
 */
export interface ExportOptions {
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  readonly context: (authorization: string | null) => GraphQLContext;
  /** The callers' budgets shared with /graphql (schema/plugins/rate-limit.ts); undefined: no limit. */
  readonly rateLimiter?: RateLimiter | undefined;
}

const PAGE = 100;

const CASELOAD_PAGE = parse(`query CaseloadExportPage($first: Int!, $after: String, $language: String) {
  families(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id status viewerScope programme openedAt updatedAt
      leadOrganization { id name }
      nextDeadline { kind dueOn dueMonth }
      children { id givenName status }
      relatives { locationStatus }
      documents { status }
      legalMatters { status }
      deadlines { status }
      sharing { organization { id } via }
      blockers(language: $language)
    } }
  }
}`);

const FAMILY_IDS_PAGE = parse(`query StatisticsExportFamilies($first: Int!, $after: String) {
  families(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id viewerScope } } }
}`);

const STATISTICS = parse(`query StatisticsExport {
  statistics {
    familiesByStatusAndCountry { status country families }
    unlocatedRelatives { country monthsSinceSeparation relatives notTraced }
  }
}`);

/** The caseload's columns, in order (README "Exports" lists what each scope fills). */
export const CASELOAD_COLUMNS = [
  'familyId', 'status', 'viewerScope', 'programme', 'leadOrganizationId', 'leadOrganizationName', 'openedAt', 'updatedAt',
  'nextDeadlineKind', 'nextDeadlineDue', 'children', 'childStatuses', 'childNames', 'relatives', 'unlocatedRelatives',
  'documents', 'documentsPending', 'legalMatters', 'openDeadlines', 'assignedDefenders', 'sharedWith', 'blockers',
] as const;

export const STATISTICS_COLUMNS = ['measure', 'status', 'country', 'monthsSinceSeparation', 'count'] as const;

type Node = {
  id: string; status: string; viewerScope: string; programme: string | null; openedAt: string; updatedAt: string;
  leadOrganization: { id: string; name: string | null } | null;
  nextDeadline: { kind: string; dueOn: string | null; dueMonth: string | null } | null;
  children: Array<{ id: string; givenName: string | null; status: string }> | null;
  relatives: Array<{ locationStatus: string }> | null;
  documents: Array<{ status: string }> | null;
  legalMatters: Array<{ status: string }> | null;
  deadlines: Array<{ status: string }> | null;
  sharing: Array<{ organization: { id: string } | null; via: string }> | null;
  blockers: string[] | null;
};
type Page<N> = { families: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: N }> } };

const UNLOCATED = new Set(['NOT_SOUGHT', 'TRACING', 'UNREACHABLE']);
const PENDING_DOCUMENT = new Set(['REQUESTED', 'OBTAINED']);
const LIST = '; ';

/** A list the scope withholds (null) is an empty cell; a list it shows is counted, even when empty. */
const count = (list: readonly unknown[] | null, keep: (item: never) => boolean = () => true): number | null =>
  list === null ? null : list.filter(keep as (item: unknown) => boolean).length;

const distinct = (values: ReadonlyArray<string | undefined>): string => [...new Set(values.filter((v): v is string => v !== undefined))].join(LIST);

const caseloadRow = (node: Node): Record<(typeof CASELOAD_COLUMNS)[number], unknown> => ({
  familyId: node.id,
  status: node.status,
  viewerScope: node.viewerScope,
  programme: node.programme,
  leadOrganizationId: node.leadOrganization?.id,
  leadOrganizationName: node.leadOrganization?.name,
  openedAt: node.openedAt,
  updatedAt: node.updatedAt,
  nextDeadlineKind: node.nextDeadline?.kind,
  nextDeadlineDue: node.nextDeadline?.dueOn ?? node.nextDeadline?.dueMonth,
  children: count(node.children),
  childStatuses: node.children?.map((child) => `${child.id} ${child.status}`).join(LIST),
  // Null for every child below DOCUMENTS scope: the cell is then empty.
  childNames: node.children?.some((child) => child.givenName !== null) ? node.children.map((child) => child.givenName ?? '').join(LIST) : null,
  relatives: count(node.relatives),
  unlocatedRelatives: count(node.relatives, (r: { locationStatus: string }) => UNLOCATED.has(r.locationStatus)),
  documents: count(node.documents),
  documentsPending: count(node.documents, (d: { status: string }) => PENDING_DOCUMENT.has(d.status)),
  legalMatters: count(node.legalMatters),
  openDeadlines: count(node.deadlines, (d: { status: string }) => d.status === 'OPEN'),
  assignedDefenders: distinct((node.sharing ?? []).filter((s) => s.via === 'ASSIGNMENT').map((s) => s.organization?.id)),
  sharedWith: distinct((node.sharing ?? []).filter((s) => s.via !== 'ASSIGNMENT').map((s) => s.organization?.id)),
  blockers: node.blockers?.join(LIST),
});

/** Why an export stopped: the client's error (its code decides the HTTP status) or the server's. */
class ExportFailed extends Error {
  constructor(readonly error: GraphQLError) {
    super(error.message);
  }
}

const HTTP_STATUS: Readonly<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, UNAVAILABLE: 503, RATE_LIMITED: 429, BAD_USER_INPUT: 400 };

/**
 * Runs one export query with a fresh context of the caller (a page's loaders and statements,
 * never kept across pages) whose access-log entries are recorded under `fields`.
 */
const runPage = async <T>(options: ExportOptions, authorization: string | null, document: DocumentNode, variables: Record<string, unknown>, fields: (familyId: string, scope: string) => string, logged: (data: T) => ReadonlyArray<{ id: string; scope: string }>): Promise<T> => {
  let context: GraphQLContext;
  try {
    // Each page costs the caller a request of its budget, as a /graphql request does.
    await chargeHttpCaller(options.rateLimiter, authorization, undefined, 1);
    context = options.context(authorization);
  } catch (error) {
    throw new ExportFailed(clientError(error, options.schema, options.logger));
  }
  const result = await execute({ schema: options.schema, document, variableValues: variables, contextValue: context });
  const [first] = result.errors ?? [];
  if (first) throw new ExportFailed(clientError(first, options.schema, options.logger));
  const data = result.data as T;
  const entries = logged(data);
  if (entries.length > 0) {
    try {
      await context.writer.logAccess({ viewer: context.viewer, views: entries.map(({ id, scope }) => ({ familyId: id, fields: fields(id, scope) })), viewedAt: context.writer.now() });
    } catch (error) {
      options.logger.error({ err: { name: (error as Error | undefined)?.name } }, 'access log write failed during an export');
      throw new ExportFailed(new GraphQLError('The access log could not be written, so nothing more was exported; retry later.', { extensions: { code: 'UNAVAILABLE' } }));
    }
  }
  return data;
};

/** Writes a chunk, waiting while the client's connection is full. */
const send = async (res: Response, chunk: string): Promise<void> => {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      if (res.destroyed) reject(new Error('the client went away'));
      else resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
};

const startCsv = (res: Response, name: string): void => {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.setHeader('Cache-Control', 'no-store');
};

/** A failure before the first byte is a JSON error like /graphql's; after it, the response is cut off. */
const fail = (res: Response, error: unknown, logger: Logger): void => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const graphqlError = error instanceof ExportFailed ? error.error : new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  if (!(error instanceof ExportFailed)) logger.error({ err: { name: (error as Error | undefined)?.name } }, 'unexpected error during an export');
  const code = typeof graphqlError.extensions['code'] === 'string' ? graphqlError.extensions['code'] : 'INTERNAL_SERVER_ERROR';
  const retryAfter = graphqlError.extensions['retryAfterSeconds'];
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  res.status(HTTP_STATUS[code] ?? 500).json({ errors: [{ message: graphqlError.message, extensions: { code, ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}) } }] });
};

const authorizationOf = (req: Request): string | null => req.get('authorization') ?? null;

/** `?language=es`: the blockers' language (as `blockers(language:)`; English without it). */
const languageOf = (req: Request): string | null => (typeof req.query['language'] === 'string' ? req.query['language'] : null);

const exportCaseload = async (options: ExportOptions, req: Request, res: Response): Promise<void> => {
  const authorization = authorizationOf(req);
  let after: string | null = null;
  for (let page = 0; ; page += 1) {
    const data: Page<Node> = await runPage<Page<Node>>(options, authorization, CASELOAD_PAGE, { first: PAGE, after, language: languageOf(req) }, (_id, scope) => `export:caseload:${scope}`,
      (d) => d.families.edges.map(({ node }) => ({ id: node.id, scope: node.viewerScope })));
    const rows = data.families.edges.map(({ node }) => caseloadRow(node));
    if (page === 0) startCsv(res, 'caseload.csv');
    await send(res, stringify(rows, { header: page === 0, bom: page === 0, columns: [...CASELOAD_COLUMNS], escape_formulas: true }));
    if (!data.families.pageInfo.hasNextPage) break;
    after = data.families.pageInfo.endCursor;
  }
  res.end();
};

type Statistics = {
  statistics: {
    familiesByStatusAndCountry: Array<{ status: string; country: string | null; families: number }>;
    unlocatedRelatives: Array<{ country: string | null; monthsSinceSeparation: number | null; relatives: number; notTraced: number }>;
  };
};

/** The counts, then every family they counted in the access log (page by page), then the CSV. */
const exportStatistics = async (options: ExportOptions, req: Request, res: Response): Promise<void> => {
  const authorization = authorizationOf(req);
  const { statistics } = await runPage<Statistics>(options, authorization, STATISTICS, {}, () => 'export:statistics', () => []);
  let after: string | null = null;
  for (;;) {
    const data: Page<{ id: string; viewerScope: string }> = await runPage<Page<{ id: string; viewerScope: string }>>(options, authorization, FAMILY_IDS_PAGE, { first: PAGE, after }, () => 'export:statistics',
      (d) => d.families.edges.map(({ node }) => ({ id: node.id, scope: node.viewerScope })));
    if (!data.families.pageInfo.hasNextPage) break;
    after = data.families.pageInfo.endCursor;
  }
  const rows = [
    ...statistics.familiesByStatusAndCountry.map((r) => ({ measure: 'families', status: r.status, country: r.country, count: r.families })),
    ...statistics.unlocatedRelatives.flatMap((r) => [
      { measure: 'unlocatedRelatives', country: r.country, monthsSinceSeparation: r.monthsSinceSeparation, count: r.relatives },
      { measure: 'unlocatedRelativesNotTraced', country: r.country, monthsSinceSeparation: r.monthsSinceSeparation, count: r.notTraced },
    ]),
  ];
  startCsv(res, 'statistics.csv');
  res.end(stringify(rows, { header: true, bom: true, columns: [...STATISTICS_COLUMNS], escape_formulas: true }));
};

/** Mounts the export routes on the app (before the web app's catch-all). */
export const mountExports = (app: Express, options: ExportOptions): void => {
  app.get('/exports/caseload.csv', (req, res) => {
    exportCaseload(options, req, res).catch((error: unknown) => fail(res, error, options.logger));
  });
  app.get('/exports/statistics.csv', (req, res) => {
    exportStatistics(options, req, res).catch((error: unknown) => fail(res, error, options.logger));
  });
};
