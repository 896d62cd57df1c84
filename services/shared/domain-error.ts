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
  | 'UNAVAILABLE';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** For BAD_USER_INPUT and NOT_FOUND: the input field at fault, e.g. `birthDate`. */
    readonly field?: string,
    /** Facts the client may act on, never anything it sent (e.g. the position a write was recorded at). */
    readonly details?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export const badInput = (field: string, message: string): DomainError =>
  new DomainError('BAD_USER_INPUT', message, field);

export const notFound = (field: string, what: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} not found`, field);

export const invalidTransition = (message: string): DomainError => new DomainError('INVALID_TRANSITION', message);

/**
 * A write that succeeded but cannot be shown yet: the read model the mutation answers from has
 * not reached the write's position in time (or it stalled). The write stands: repeating it with
 * the same commandId answers `replayed: true` and appends nothing.
 */
export const notYetVisible = (position: string): DomainError =>
  new DomainError(
    'UNAVAILABLE',
    `The change was recorded at position ${position} but is not yet visible; read it again later, or repeat the mutation with the same commandId (it answers replayed: true and records nothing new).`,
    undefined,
    { position },
  );
