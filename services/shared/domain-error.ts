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
  ) {
    super(message);
  }
}

export const badInput = (field: string, message: string): DomainError =>
  new DomainError('BAD_USER_INPUT', message, field);

export const notFound = (field: string, what: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} not found`, field);

export const invalidTransition = (message: string): DomainError => new DomainError('INVALID_TRANSITION', message);
