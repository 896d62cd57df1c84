import { describe, expect, it } from 'vitest';
import { decideOrganization, evolveOrganization, initialOrganizationState, type OrganizationCommand, type OrganizationEvent } from '../../../../services/organization/organization.js';

const actor = { userId: 'admin', organizationId: 'org-a', role: 'ADMIN' } as const;
const base = { organizationId: 'org-a', actor, issuedAt: '2024-06-01T12:00:00.000Z' };
const registered: OrganizationEvent = { type: 'OrganizationRegistered', data: { organizationId: 'org-a', name: 'A', kind: 'LEGAL_SERVICE_PROVIDER', countries: [] } };
const given = (...events: OrganizationEvent[]) => events.reduce(evolveOrganization, initialOrganizationState);
type Input = OrganizationCommand extends infer C ? (C extends unknown ? Omit<C, keyof typeof base> : never) : never;
const when = (state: ReturnType<typeof given>, command: Input) =>
  decideOrganization({ ...base, ...command }, state);

describe('organisation decider: stop-work orders (issue 14, item 5)', () => {
  const order: OrganizationEvent = { type: 'StopWorkOrderRecorded', data: { orderId: 'o-1', programme: 'ASYLUM', funderOrganizationId: 'funder', personal: { subjectId: 'organization:notes', reason: 'grant suspended' } } };

  it('records an order once for a programme, and lifts it with one command', () => {
    expect(when(given(registered), { type: 'RecordStopWorkOrder', orderId: 'o-1', programme: 'ASYLUM', funderOrganizationId: 'funder', reason: 'grant suspended' })).toEqual([order]);
    expect(given(registered, order).stopWorkOrders.get('o-1')).toEqual({ orderId: 'o-1', programme: 'ASYLUM', funderOrganizationId: 'funder' });
    expect(when(given(registered, order), { type: 'LiftStopWorkOrder', orderId: 'o-1' })).toEqual([{ type: 'StopWorkOrderLifted', data: { orderId: 'o-1' } }]);
    expect(given(registered, order, { type: 'StopWorkOrderLifted', data: { orderId: 'o-1' } }).stopWorkOrders.size).toBe(0);
  });

  it('refuses a second order for the same programme, a reused id, and lifting an order not in force', () => {
    expect(() => when(given(registered, order), { type: 'RecordStopWorkOrder', orderId: 'o-2', programme: 'ASYLUM', reason: 'again' })).toThrow(/already in force for this programme/);
    expect(() => when(given(registered, order), { type: 'RecordStopWorkOrder', orderId: 'o-1', programme: 'SIJ', reason: 'x' })).toThrow(/already exists/);
    expect(() => when(given(registered), { type: 'LiftStopWorkOrder', orderId: 'o-1' })).toThrow(/stop-work order in force not found/);
  });
});
