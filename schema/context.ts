import DataLoader from 'dataloader';
import type { FamilyReadModel, FamilyRow, OrganizationRow } from '../projections/families/family-read-model.js';
import type { CalendarDate } from '../services/shared/calendar-date.js';
import type { Actor } from '../services/shared/decider.js';

/** What every resolver gets: the authenticated caller, this request's read model and loaders. */
export interface GraphQLContext {
  readonly viewer: Actor;
  readonly readModel: FamilyReadModel;
  readonly loaders: Loaders;
  readonly today: CalendarDate;
}

export interface Loaders {
  readonly family: DataLoader<string, FamilyRow | null>;
  readonly organization: DataLoader<string, OrganizationRow | null>;
}

/** One loader per lookup per request: nested lookups of a page become one SQL statement. */
export const createLoaders = (readModel: FamilyReadModel): Loaders => ({
  family: new DataLoader((ids: readonly string[]) => {
    const rows = readModel.familiesByIds(ids);
    return Promise.resolve(ids.map((id) => rows.get(id) ?? null));
  }),
  organization: new DataLoader((ids: readonly string[]) => {
    const rows = readModel.organizationsByIds(ids);
    return Promise.resolve(ids.map((id) => rows.get(id) ?? null));
  }),
});
