import type { Config } from '../config.js';
import { openKeyStore } from '../keys/open-key-store.js';
import { EncryptingEventStore } from '../../services/privacy/encrypting-event-store.js';
import { PersonalDataCipher } from '../../services/privacy/personal-data-cipher.js';
import { openEventStore } from './open-event-store.js';
import type { KeyStore } from '../../services/privacy/key-store.js';

/**
 * The configured event store encrypted at rest through its own key store, for tools that write
 * or read personal data beside (or instead of) the server: the demo loader, the CLI's rebuild,
 * replay and export. Closing it closes the key store too. A tool that starts first generates the
 * master key and says so on `stderr`, as the server would. With the key store in EventStoreDB
 * a wrong master key fails the first call that needs a key (KeyStoreLockedError). `keyStore` is
 * there for the read models' sealer (services/privacy/read-model-sealer.ts); the store owns it.
 */
export const openEncryptedEventStore = (config: Config, stderr: NodeJS.WritableStream = process.stderr): EncryptingEventStore & { readonly keyStore: KeyStore } => {
  const stored = openEventStore(config.eventStore);
  try {
    const { keyStore, firstStartNotice } = openKeyStore(config.keys, stored);
    if (firstStartNotice) stderr.write(firstStartNotice);
    return Object.assign(new EncryptingEventStore(stored, new PersonalDataCipher(keyStore), { alsoClose: () => keyStore.close() }), { keyStore });
  } catch (error) {
    void stored.close();
    throw error;
  }
};
