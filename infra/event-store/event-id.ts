import { v7 as uuidv7 } from 'uuid';

/** Event ids are UUID v7: time-ordered, so the store's unique index over them stays append-only. */
export const newEventId = (): string => uuidv7();
