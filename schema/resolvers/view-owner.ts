import type { FamilyRow } from '../../projections/families/family-read-model.js';

/**
 * The family row and the record's own id behind a view object (a child, relative, document,
 * matter, deadline or referral as the allowlist shows it), for the resolvers of its nested
 * case-file fields: a view's `id` may be generated (`child#1`) or withheld, and the view holds
 * no family. A symbol key, so it never reaches a response (GraphQL reads fields by name).
 */
const OWNER: unique symbol = Symbol('view owner');

export interface ViewOwner {
  readonly row: FamilyRow;
  readonly id: string;
}

export const withOwner = <T extends object>(view: T, row: FamilyRow, id: string): T => Object.assign(view, { [OWNER]: { row, id } satisfies ViewOwner });

export const ownerOf = (view: unknown): ViewOwner | undefined =>
  (typeof view === 'object' && view !== null ? (view as { [OWNER]?: ViewOwner })[OWNER] : undefined);
