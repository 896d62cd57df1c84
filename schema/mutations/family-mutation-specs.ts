import { COMMAND_INPUTS, graphqlFieldOf } from '../../services/family/command-inputs.js';
import type { FamilyCommandType } from '../../services/family/commands.js';

/**
 * The GraphQL shape of every family command: its input fields and their GraphQL types,
 * generated from the command's one definition (services/family/command-inputs.ts). A field the
 * command needs is `Type!`, or `Type = default` when GraphQL fills it; an optional one is
 * `Type`; fields the server fills (the opening organisation) are not in the input. The mutation
 * is the command's name in lower camel case; the input type is `<Command>Input`. Every input
 * also takes `familyId` (except openFamilyCase), `commandId`, `expectedRevision`, `occurredAt`
 * and `stopWorkReason` (see mutation-sdl.ts). Enum types come from services/family/vocabulary.ts.
 */
export type FieldSpecs = Readonly<Record<string, string>>;

const graphqlType = (schema: Parameters<typeof graphqlFieldOf>[0]): string | undefined => {
  const field = graphqlFieldOf(schema);
  if (field.server) return undefined;
  if (field.default !== undefined) return `${field.type} = ${field.default}`;
  return field.nullable ? field.type : `${field.type}!`;
};

const specsOf = (shape: Readonly<Record<string, Parameters<typeof graphqlFieldOf>[0]>>): FieldSpecs =>
  Object.fromEntries(Object.entries(shape).flatMap(([name, schema]) => {
    const type = graphqlType(schema);
    return type === undefined ? [] : [[name, type]];
  }));

/** Every command has its mutation: the record is over every FamilyCommandType. */
export const FAMILY_MUTATIONS: Readonly<Record<FamilyCommandType, FieldSpecs>> = Object.fromEntries(
  Object.entries(COMMAND_INPUTS).map(([type, input]) => [type, specsOf(input.shape)]),
) as Record<FamilyCommandType, FieldSpecs>;

export const mutationName = (command: string): string => command.charAt(0).toLowerCase() + command.slice(1);
