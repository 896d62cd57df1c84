import type { Language } from '../../services/family/labels.js';
import { statusLabel } from '../../services/family/labels.js';
import type { ReunificationStatus } from '../../services/family/status.js';
import { timelineLanguage } from '../../projections/timeline/timeline.js';
import { rule } from '../../services/shared/domain-error.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput } from '../errors.js';
import { acceptLanguageOf } from './timeline.js';

/**
 * The `language` argument of blockers and status labels (issue 15, item 3): en or es (a region
 * such as es-MX is its language); anything else is BAD_USER_INPUT naming `language`.
 */
export const languageArgument = (argument: string | null | undefined): Language | undefined => {
  if (argument === undefined || argument === null) return undefined;
  const base = argument.toLowerCase().split('-')[0];
  if (base !== 'en' && base !== 'es') throw badUserInput('language', rule`must be en or es`);
  return base;
};

/** A label's language: the argument, else the Accept-Language header (as the timeline), else English. */
export const labelLanguage = (argument: string | null | undefined, context: GraphQLContext): Language =>
  languageArgument(argument) ?? timelineLanguage(undefined, acceptLanguageOf(context));

/** A child view's blockers in another language, attached by the family's `children` resolver. */
export const BLOCKERS_IN: unique symbol = Symbol('blockersIn');

type ChildView = { readonly status?: ReunificationStatus | null; readonly blockers?: readonly string[] | null; readonly [BLOCKERS_IN]?: (language: Language) => string[] };

/**
 * Child fields that take a language. Both follow what the allowlist left of the view: a status or
 * blockers withheld there are withheld here too. Without an argument, blockers are the view's
 * English ones, as before.
 */
export const childResolvers = {
  blockers: (child: ChildView, args: { language?: string | null }) => {
    const language = languageArgument(args.language);
    if (child.blockers === undefined || child.blockers === null) return null;
    return language === undefined || language === 'en' || !child[BLOCKERS_IN] ? child.blockers : child[BLOCKERS_IN](language);
  },
  statusLabel: (child: ChildView, args: { language?: string | null }, context: GraphQLContext) =>
    (child.status === undefined || child.status === null ? null : statusLabel(child.status, labelLanguage(args.language, context))),
};
