import { rule } from '../../services/shared/domain-error.js';
import { badUserInput } from '../errors.js';

/** `first` of a page: the default when absent, else an integer from 1 to `max` (BAD_USER_INPUT on `first` otherwise). */
export const pageSize = (first: number | null | undefined, defaultSize: number, max: number): number => {
  const size = first ?? defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > max) throw badUserInput('first', rule`must be between 1 and ${max}`);
  return size;
};

/**
 * A Relay connection of these edges. `endCursor` defaults to the last edge's; a page that reads
 * rows it does not show (hidden hits, relatives of a family not visible) passes the last row
 * read, so the next page starts after it.
 */
export const connection = <E extends { readonly cursor: string }>(
  edges: E[],
  page: { readonly hasNextPage: boolean; readonly hasPreviousPage: boolean; readonly endCursor?: string | null },
) => ({
  edges,
  pageInfo: {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: page.endCursor === undefined ? (edges.at(-1)?.cursor ?? null) : page.endCursor,
  },
});
