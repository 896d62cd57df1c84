/**
 * The stable codes of expected failures (API.md "Errors"). GraphQL maps them in one place;
 * anything that is not a DomainError is an unexpected error and is masked.
 */
export type DomainErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'INVALID_TRANSITION'
  | 'CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The tracker cannot answer safely right now (a read model behind or stalled); retry later. */
  | 'UNAVAILABLE'
  /** A legal hold stands on the family: nobody in it may be erased until it is lifted (issue 13). */
  | 'LEGAL_HOLD';

declare const ruleBrand: unique symbol;
declare const knownBrand: unique symbol;

/** The words of an error message, fixed in the code (made only by `rule`). */
export type Rule = string & { readonly [ruleBrand]: true };

/** A word the code itself holds: a state, a vocabulary entry, a command's or a field's name. */
export type Known = string & { readonly [knownBrand]: true };

/**
 * Marks a word the code holds, for a hole in `rule`. Never for a value that came with a request
 * (an id, a name, free text): those have type `string`, and a message must not repeat them.
 */
export const known = (word: string): Known => word as Known;

type Hole = number | Known | readonly Known[];

/**
 * The text of an error: the literal words written in the code, with holes only for numbers (the
 * limits the code sets) and `Known` words; a list is joined with commas. A value a client sent
 * has type `string` and does not compile in a hole, so no message built here repeats input:
 *
 *     badInput('first', rule`must be between 1 and ${MAX_PAGE}`)   // compiles
 *     notFound('familyId', rule`family ${familyId}`)               // does not
 */
export const rule = (words: TemplateStringsArray, ...holes: readonly Hole[]): Rule =>
  words.reduce((text, word, index) => text + word + (index < holes.length ? render(holes[index]!) : ''), '') as Rule;

const render = (hole: Hole): string => (typeof hole === 'number' ? String(hole) : typeof hole === 'string' ? hole : hole.join(', '));

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A field is a name from the schema or a command; anything else is not repeated either. */
const fieldName = (field: string): Known => known(FIELD_NAME.test(field) ? field : 'input');

export class DomainError extends Error {
  override readonly name = 'DomainError';
  /** For BAD_USER_INPUT and NOT_FOUND: the input field at fault, e.g. `birthDate`. */
  readonly field: string | undefined;
  constructor(
    readonly code: DomainErrorCode,
    message: Rule,
    field?: string,
    /** Facts the client may act on, never anything it sent (e.g. the position a write was recorded at). */
    readonly details?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.field = field === undefined ? undefined : fieldName(field);
  }
}

/** BAD_USER_INPUT with the message "<field> <rule>", e.g. "birthDate must not be in the future". */
export const badInput = (field: string, fieldRule: Rule): DomainError =>
  new DomainError('BAD_USER_INPUT', rule`${fieldName(field)} ${known(fieldRule)}`, field);

/** NOT_FOUND: "<what> not found"; the message never carries the id that was looked for. */
export const notFound = (field: string, what: Rule): DomainError => new DomainError('NOT_FOUND', rule`${known(what)} not found`, field);

export const forbidden = (reason: Rule): DomainError => new DomainError('FORBIDDEN', reason);

export const invalidTransition = (reason: Rule): DomainError => new DomainError('INVALID_TRANSITION', reason);

export const conflict = (reason: Rule): DomainError => new DomainError('CONFLICT', reason);

export const legalHold = (reason: Rule): DomainError => new DomainError('LEGAL_HOLD', reason);

/**
 * A write that succeeded but cannot be shown yet: the read model the mutation answers from has
 * not reached the write's position in time (or it stalled). The write stands: repeating it with
 * the same commandId answers `replayed: true` and appends nothing. The position is the server's.
 */
export const notYetVisible = (position: string): DomainError =>
  new DomainError(
    'UNAVAILABLE',
    rule`The change was recorded at position ${known(position)} but is not yet visible; read it again later, or repeat the mutation with the same commandId (it answers replayed: true and records nothing new).`,
    undefined,
    { position },
  );
