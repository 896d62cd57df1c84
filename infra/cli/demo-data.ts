/**
 * The demo data of `npm run demo`: the five case patterns of DOMAIN.md as realistic families,
 * written through the command handler like any client, and the demo organisations, each with an
 * advocate and an API key. Idempotent: every command carries a fixed commandId, and a second
 * load finds the organisations already registered and writes nothing.
 */
import { executeFamilyCommand, familyIdForOpening } from '../../services/family/family-service.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { SYSTEM_ORGANIZATION_ID } from '../../services/organization/organization.js';
import type { HandlerDependencies } from '../../services/command-handler.js';
import type { Actor } from '../../services/shared/decider.js';
import type { FamilyCommand } from '../../services/family/commands.js';
import { generateApiKey, hashApiKey } from '../auth/api-keys.js';
import { newEventId } from '../event-store/event-id.js';
import { demoFamilies, type DemoOrganizations } from './demo-families.js';

const ORGANIZATIONS = [
  { key: 'usLegal', id: 'demo-us-legal', name: 'Legal Aid of New York (demo)', kind: 'LEGAL_SERVICE_PROVIDER', countries: ['US'] },
  { key: 'mxDefenders', id: 'demo-mx-defenders', name: 'Defensores de Puebla (demo)', kind: 'DEFENDER', countries: ['MX'] },
  { key: 'hnDefenders', id: 'demo-ca-defenders', name: 'Defensores de Centroamérica (demo)', kind: 'DEFENDER', countries: ['HN', 'NI', 'GT'] },
  { key: 'ncLegal', id: 'demo-nc-legal', name: 'North Carolina Immigrant Legal Services (demo)', kind: 'LEGAL_SERVICE_PROVIDER', countries: ['US'] },
] as const;

const system: Actor = { userId: 'demo-loader', organizationId: SYSTEM_ORGANIZATION_ID, role: 'SYSTEM' };

export interface DemoData {
  readonly families: number;
  /** Each demo organisation's name and its advocate's API key (the only time the key is known). */
  readonly keys: ReadonlyArray<readonly [name: string, key: string]>;
}

const registerOrganizations = async (dependencies: HandlerDependencies, issuedAt: string): Promise<{ orgs: DemoOrganizations; keys: Array<[string, string]> } | undefined> => {
  const keys: Array<[string, string]> = [];
  const orgs: Record<string, Actor> = {};
  for (const org of ORGANIZATIONS) {
    const base = { organizationId: org.id, actor: system, issuedAt };
    const registered = await executeOrganizationCommand(dependencies, { ...base, type: 'RegisterOrganization', name: org.name, kind: org.kind, countries: [...org.countries] as never }, { commandId: `demo-register-${org.id}` });
    if (registered.replayed) return undefined;
    await executeOrganizationCommand(dependencies, { ...base, type: 'AddMember', userId: `${org.id}-advocate`, role: 'ADVOCATE', name: 'Demo advocate' });
    const key = generateApiKey();
    await executeOrganizationCommand(dependencies, { ...base, type: 'IssueApiKey', keyId: `${org.id}-advocate-key`, userId: `${org.id}-advocate`, keyHash: hashApiKey(key), label: 'demo' });
    keys.push([org.name, key]);
    orgs[org.key] = { userId: `${org.id}-advocate`, organizationId: org.id, role: 'ADVOCATE' };
  }
  return { orgs: orgs as unknown as DemoOrganizations, keys };
};

const loadFamilies = async (dependencies: HandlerDependencies, orgs: DemoOrganizations, now: Date): Promise<number> => {
  const issuedAt = now.toISOString();
  let count = 0;
  for (const family of demoFamilies(orgs, now)) {
    const familyId = familyIdForOpening(orgs.usLegal.organizationId, `demo-${family.key}`, newEventId);
    for (const [index, step] of family.steps.entries()) {
      const occurredAt = new Date(now.getTime() - (step.daysAgo ?? 0) * 86_400_000).toISOString();
      const command = { ...step.command, familyId, actor: step.by, issuedAt, occurredAt } as FamilyCommand;
      await executeFamilyCommand(dependencies, command, { commandId: `demo-${family.key}-${String(index)}` });
    }
    count += 1;
  }
  return count;
};

/** Loads the demo into `store`, dated relative to `now`; undefined when it is already there. */
export const loadDemoData = async (store: HandlerDependencies['store'], now: Date): Promise<DemoData | undefined> => {
  const dependencies = { store, newEventId };
  const registered = await registerOrganizations(dependencies, now.toISOString());
  if (!registered) return undefined;
  return { families: await loadFamilies(dependencies, registered.orgs, now), keys: registered.keys };
};
