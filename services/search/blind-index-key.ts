/**
 * The port through which the search index gets its secret (issue 15). The blind index stores
 * keyed hashes (HMAC-SHA256) of normalised names, identifier values and phone numbers, never the
 * values; whoever holds the key can test a guess against the index, so the key lives outside the
 * data directory. Today infra/keys/key-directory.ts keeps it in a file; the key store of the
 * privacy issue (13) replaces that implementation, not this interface.
 */
export interface BlindIndexKeyStore {
  /** The 32-byte secret of the search index; the same across restarts, or the index must be rebuilt. */
  readonly blindIndexKey: () => Buffer;
}
