import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataOf, postGraphQL, type GraphQLResponse } from './graphql-client.js';

/** A family mutation over HTTP with a key; the raw response (errors kept). */
export const mutation = (url: string, key: string, name: string, input: Record<string, unknown>, select = 'revision family { id }'): Promise<GraphQLResponse> =>
  postGraphQL(url, key, `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${select} } }`, { input });

/** The same, failing the test on any error; returns the payload. */
export const mutateOk = async (url: string, key: string, name: string, input: Record<string, unknown>, select?: string): Promise<any> =>
  dataOf(await mutation(url, key, name, input, select))[name];

/** Every file under the directory (SQLite files with their -wal and -shm), as bytes. */
export const filesUnder = (dir: string): Array<{ name: string; bytes: Buffer }> =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ name: join(entry.parentPath, entry.name), bytes: readFileSync(join(entry.parentPath, entry.name)) }));

/** The files under `dir` holding `value` as UTF-8 bytes, named relative to `dir`. */
export const filesHolding = (dir: string, value: string): string[] =>
  filesUnder(dir).filter((file) => file.bytes.includes(Buffer.from(value, 'utf8'))).map((file) => file.name.slice(dir.length + 1));
