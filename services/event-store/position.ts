/**
 * A global position in the all-events feed. It mirrors EventStoreDB's (commit, prepare) pair;
 * the embedded store uses the same number for both. Positions are bigints end to end: they are
 * never rounded through `number`, and are shown to clients only as the opaque string of
 * `formatPosition`.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const positionOf = (sequence: bigint): Position => ({ commit: sequence, prepare: sequence });

export const comparePositions = (a: Position, b: Position): number => {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
};

/** "42" when commit and prepare agree (the embedded store), otherwise "commit-prepare". */
export const formatPosition = (position: Position): string =>
  position.commit === position.prepare
    ? position.commit.toString()
    : `${position.commit.toString()}-${position.prepare.toString()}`;

const POSITION_PATTERN = /^(\d{1,20})(?:-(\d{1,20}))?$/;

/** Parses what `formatPosition` printed; `undefined` for anything else. */
export const parsePosition = (text: string): Position | undefined => {
  const match = POSITION_PATTERN.exec(text);
  if (!match?.[1]) return undefined;
  const commit = BigInt(match[1]);
  const prepare = match[2] === undefined ? commit : BigInt(match[2]);
  return { commit, prepare };
};
