import { badInput, invalidTransition, notFound, rule } from '../shared/domain-error.js';
import { ORGANIZATION_SUBJECT_ID } from '../shared/case-subject.js';
import type { DomainEvent } from '../shared/decider.js';
import type { Personal } from '../shared/personal-data.js';
import type { Programme } from '../family/vocabulary.js';

/**
 * A funder's stop-work order, recorded once on the funded organisation's own stream for one
 * programme (and the funder that issued it, when known), lifted by one command. It is not a
 * family event: the family decider learns the orders in force of the organisations a command
 * involves from the command handler (services/family/world.ts), and applies the unavoidable-work
 * rule of docs/STOP-WORK.md to every family of that programme the organisation works on.
 */
export interface StopWorkOrder {
  readonly orderId: string;
  readonly programme: Programme;
  readonly funderOrganizationId: string | undefined;
}

type E<Type extends string, Data> = DomainEvent<Type, Data>;
export type StopWorkOrderEvent =
  /** The reason is free text: sealed under the organisation's notes subject (version 2; version 1 kept `reason` in the clear, read by nothing). */
  | E<'StopWorkOrderRecorded', { orderId: string; programme: Programme; funderOrganizationId?: string; personal: Personal<{ reason: string }> }>
  | E<'StopWorkOrderLifted', { orderId: string }>;

export type RecordStopWorkOrderFields = { readonly orderId: string; readonly programme: Programme; readonly funderOrganizationId?: string; readonly reason: string };

export const recordStopWorkOrder = (orders: ReadonlyMap<string, StopWorkOrder>, c: RecordStopWorkOrderFields): StopWorkOrderEvent[] => {
  if (orders.has(c.orderId)) throw badInput('orderId', rule`names a stop-work order that already exists`);
  if ([...orders.values()].some((order) => order.programme === c.programme)) {
    throw invalidTransition(rule`A stop-work order is already in force for this programme`);
  }
  return [{
    type: 'StopWorkOrderRecorded',
    data: { orderId: c.orderId, programme: c.programme, ...(c.funderOrganizationId ? { funderOrganizationId: c.funderOrganizationId } : {}), personal: { subjectId: ORGANIZATION_SUBJECT_ID, reason: c.reason } },
  }];
};

export const liftStopWorkOrder = (orders: ReadonlyMap<string, StopWorkOrder>, orderId: string): StopWorkOrderEvent[] => {
  if (!orders.has(orderId)) throw notFound('orderId', rule`stop-work order in force`);
  return [{ type: 'StopWorkOrderLifted', data: { orderId } }];
};

export const evolveStopWorkOrders = (orders: ReadonlyMap<string, StopWorkOrder>, e: StopWorkOrderEvent): ReadonlyMap<string, StopWorkOrder> => {
  const next = new Map(orders);
  if (e.type === 'StopWorkOrderRecorded') {
    next.set(e.data.orderId, { orderId: e.data.orderId, programme: e.data.programme, funderOrganizationId: e.data.funderOrganizationId });
  } else {
    next.delete(e.data.orderId);
  }
  return next;
};
