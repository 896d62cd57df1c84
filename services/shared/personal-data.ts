/**
 * Personal data in an event sits only under `personal`, tagged with the person it belongs to
 * (`subjectId`), so it can be encrypted per person and erased by destroying that person's key
 * without rewriting history. Every aggregate's events use this one shape.
 */
export type Personal<Fields> = { readonly subjectId: string } & Fields;
