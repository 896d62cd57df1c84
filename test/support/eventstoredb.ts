import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';

export type EventStoreDbTarget =
  | { readonly kind: 'available'; readonly connect: () => Promise<{ connectionString: string; stop: () => Promise<void> }> }
  | { readonly kind: 'unavailable'; readonly reason: string };

const IMAGE = process.env['EVENTSTORE_IMAGE'] ?? 'eventstore/eventstore:24.10';

/**
 * Where the EventStoreDB contract run can go: a live server named by
 * EVENTSTORE_CONNECTION_STRING, else a container started by testcontainers, else nowhere, with
 * the reason (so the skip is printed, never silent).
 */
export const findEventStoreDb = async (): Promise<EventStoreDbTarget> => {
  const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];
  if (connectionString) {
    return { kind: 'available', connect: () => Promise.resolve({ connectionString, stop: () => Promise.resolve() }) };
  }
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      kind: 'unavailable',
      reason: `EVENTSTORE_CONNECTION_STRING is not set and testcontainers found no container runtime (${detail ?? 'no detail'})`,
    };
  }
  return { kind: 'available', connect: startContainer };
};

const startContainer = async (): Promise<{ connectionString: string; stop: () => Promise<void> }> => {
  const container: StartedTestContainer = await new GenericContainer(IMAGE)
    .withEnvironment({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_MEM_DB: 'true',
      EVENTSTORE_CLUSTER_SIZE: '1',
      EVENTSTORE_RUN_PROJECTIONS: 'None',
    })
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((code) => code < 300))
    .withStartupTimeout(120_000)
    .start();
  const address = `${container.getHost()}:${String(container.getMappedPort(2113))}`;
  return {
    connectionString: `esdb://${address}?tls=false`,
    stop: async () => {
      await container.stop();
    },
  };
};
