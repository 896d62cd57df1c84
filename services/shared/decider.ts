/**
 * A decider (fmodel / emmett style): pure functions, no clock, no ids, no IO. Time and ids
 * arrive inside the command.
 */
export interface Decider<Command, Event, State> {
  readonly initialState: State;
  /** Throws a DomainError when the command is rejected; returns at least one event otherwise. */
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  /**
   * Throws a DomainError when the command's actor may not issue it on this state. The command
   * handler runs it on the state it has just folded, before answering a repeated commandId, so
   * a replay is authorised like a first attempt.
   */
  readonly authorize?: (command: Command, state: State) => void;
  /** Turns a stored event (type, data, metadata with its schema version) into the current domain event; without it the data is read as stored. */
  readonly decode?: (stored: { readonly type: string; readonly data: object; readonly metadata: object }) => Event;
}

/** A domain event as the deciders produce it: the envelope is added by the command handler. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Who issued a command, as authenticated by the API. */
export interface Actor {
  readonly userId: string;
  readonly organizationId: string;
  readonly role: 'ADMIN' | 'ADVOCATE' | 'AUDITOR' | 'PARTNER' | 'SYSTEM';
}

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
