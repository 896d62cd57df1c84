import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { openKeyDirectory } from '../keys/key-directory.js';
import { loadMasterKey } from '../keys/master-key.js';
import type { Projection } from '../../projections/projection.js';
import type { ReadModelOpenOptions } from '../../projections/read-model-database.js';
import { openSearchIndexFile, SEARCH_INDEX_FILE } from '../../projections/search/search-index-file.js';
import { createSearchProjection } from '../../projections/search/search-projection.js';
import { termHasher } from '../../projections/search/search-terms.js';

/**
 * The search index (projections/search/) as the command line sees it: its own file beside the
 * read models, its own projection (named `search`) made with the blind-index key of the key
 * directory (TRACKER_KEY_DIR), exactly as the server makes it (infra/tracker.ts `openSearch`).
 */
export const SEARCH_PROJECTION_NAME = 'search';

export const searchIndexPath = (config: Config): string => join(config.dataDir, SEARCH_INDEX_FILE);

const blindIndexKey = (config: Config): Buffer => openKeyDirectory(config.keys.keyDir, config.dataDir, loadMasterKey(config.keys).key).blindIndexKey();

/** The search projection under this configuration's key (a check rebuilds with it: another key's index differs). */
export const searchProjectionOf = (config: Config): Projection => createSearchProjection(termHasher(blindIndexKey(config)));

/**
 * Opens the search index for a command that writes it (rebuild; status, which may create it),
 * with the data directory locked: a damaged file is set aside and a file made under another key
 * dropped, as at server start, each said on standard error.
 */
export const openSearchIndexForWriting = (config: Config, options: Pick<ReadModelOpenOptions, 'onSetAside'> = {}): Database.Database =>
  openSearchIndexFile(searchIndexPath(config), blindIndexKey(config), {
    ifDamaged: 'set-aside',
    ...options,
    onKeyChanged: () => process.stderr.write('the search index was made under another key: it is rebuilt\n'),
  });
