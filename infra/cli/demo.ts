/**
 * `npm run demo`: loads the five case patterns of DOMAIN.md as realistic families into the
 * configured store (through the command handler, like any client), registers the demo
 * organisations and prints an API key for each, then what to query.
 */
import { executeFamilyCommand, familyIdForOpening } from '../../services/family/family-service.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import { SYSTEM_ORGANIZATION_ID } from '../../services/organization/organization.js';
import type { Actor } from '../../services/shared/decider.js';
import type { FamilyCommand } from '../../services/family/commands.js';
import { generateApiKey, hashApiKey } from '../auth/api-keys.js';
import { loadConfig } from '../config.js';
import { newEventId } from '../event-store/event-id.js';
import { openEventStore } from '../event-store/open-event-store.js';
import { demoFamilies, type DemoOrganizations } from './demo-families.js';

const ORGANIZATIONS = [
  { key: 'usLegal', id: 'demo-us-legal', name: 'Legal Aid of New York (demo)', kind: 'LEGAL_SERVICE_PROVIDER', countries: ['US'] },
  { key: 'mxDefenders', id: 'demo-mx-defenders', name: 'Defensores de Puebla (demo)', kind: 'DEFENDER', countries: ['MX'] },
  { key: 'hnDefenders', id: 'demo-ca-defenders', name: 'Defensores de Centroamérica (demo)', kind: 'DEFENDER', countries: ['HN', 'NI', 'GT'] },
  { key: 'ncLegal', id: 'demo-nc-legal', name: 'North Carolina Immigrant Legal Services (demo)', kind: 'LEGAL_SERVICE_PROVIDER', countries: ['US'] },
] as const;

const config = loadConfig();
const store = openEventStore(config.eventStore);
const dependencies = { store, newEventId };
const now = new Date();
const issuedAt = now.toISOString();
const system: Actor = { userId: 'demo-loader', organizationId: SYSTEM_ORGANIZATION_ID, role: 'SYSTEM' };

const registerOrganizations = async (): Promise<{ orgs: DemoOrganizations; keys: Array<[string, string]> } | undefined> => {
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

const loadFamilies = async (orgs: DemoOrganizations): Promise<number> => {
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

const loaded = await registerOrganizations();
if (!loaded) {
  process.stdout.write('The demo data is already in this store (its API keys were printed when it was loaded).\n');
} else {
  const families = await loadFamilies(loaded.orgs);
  const url = `http://localhost:${String(config.port)}/graphql`;
  process.stdout.write(
    [
      `Loaded ${String(families)} demo families into ${config.eventStore.kind === 'sqlite' ? config.eventStore.file : 'EventStoreDB'}.`,
      '',
      'API keys (shown once; each sees the families its organisation leads or was referred):',
      ...loaded.keys.map(([name, key]) => `  ${name}:\n    ${key}`),
      '',
      `Start the tracker (npm start), open ${url} and set the header`,
      '  {"Authorization": "Bearer <key>"}',
      'then try:',
      '  { families(first: 10) { totalCount edges { node { id status blockers nextDeadline { kind dueOn daysLeft } } } } }',
      '  { upcomingDeadlines(withinDays: 60) { familyId kind dueOn daysLeft } }',
      '  { statistics { familiesByStatusAndCountry { status country families } unlocatedRelatives { country monthsSinceSeparation relatives } } }',
      '',
    ].join('\n'),
  );
}
await store.close();
