import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * How names, identifier values and phone numbers are brought to one form before they are
 * hashed into the search index (search-terms.ts), the same way for what is indexed and for what
 * is searched. Pure; nothing here is stored.
 */

/** Lowercase, accents and other marks removed (NFD), so "Núñez" and "NUNEZ" are one word. */
export const fold = (text: string): string =>
  text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();

/**
 * Words that join surnames and given names ("María de los Ángeles", "de la Cruz", "García y
 * López"): not searched for on their own, so "Cruz" finds "de la Cruz".
 */
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'e', 'da', 'dos', 'das', 'van', 'von', 'san']);

/**
 * The words of a name, folded, in any order: a Spanish double surname ("García López") is two
 * words, and each is found on its own and in either order. Letters only; words of one letter and
 * the particles are left out.
 */
export const nameWords = (text: string): string[] =>
  fold(text)
    .split(/[^a-z]+/)
    .filter((word) => word.length >= 2 && !PARTICLES.has(word));

/**
 * Common Spanish nicknames ("hipocorísticos") and the given name each stands for. A word and its
 * full name share a search term, so "Pepe" finds José and "José" finds a child registered as
 * Pepe. Deliberately small: a nickname that stands for several names maps to each of them.
 */
const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  pepe: ['jose'], chepe: ['jose'], pepito: ['jose'], chema: ['jose'],
  paco: ['francisco'], pancho: ['francisco'], curro: ['francisco'], kiko: ['francisco', 'enrique'],
  lupe: ['guadalupe'], lupita: ['guadalupe'], chuy: ['jesus'], chucho: ['jesus'],
  memo: ['guillermo'], nacho: ['ignacio'], lalo: ['eduardo'], beto: ['alberto', 'roberto', 'humberto'],
  tono: ['antonio'], tonio: ['antonio'], toni: ['antonio'], quique: ['enrique'], kike: ['enrique'],
  concha: ['concepcion'], conchita: ['concepcion'], chelo: ['consuelo', 'marcelo'], lola: ['dolores'],
  charo: ['rosario'], chayo: ['rosario'], pili: ['pilar'], nena: ['magdalena', 'elena'], male: ['magdalena'],
  luchi: ['luz'], maite: ['maria'], mari: ['maria'], marisa: ['maria'], chabela: ['isabel'], chava: ['salvador'],
  chalo: ['gonzalo'], goyo: ['gregorio'], nando: ['fernando'], fer: ['fernando'], juancho: ['juan'],
  panchita: ['francisca'], paquita: ['francisca'], rafa: ['rafael'], lencho: ['lorenzo'], licha: ['alicia'],
  mague: ['margarita'], pati: ['patricia'], paty: ['patricia'], vero: ['veronica'], gabi: ['gabriela'],
  tere: ['teresa'], santi: ['santiago'], dani: ['daniel', 'daniela'], ale: ['alejandro', 'alejandra'],
};

/** The full names a word may stand for (itself included). */
export const nameForms = (word: string): string[] => [word, ...(NICKNAMES[word] ?? [])];

/** Identifier values are compared without separators, case or marks: "A-123-456-789" is "A123456789". */
export const identifierForm = (text: string): string | undefined => {
  const form = fold(text).replace(/[^a-z0-9]/g, '').toUpperCase();
  return form.length >= 4 ? form : undefined;
};

/**
 * The forms an identifier value is indexed and searched under: its plain form, and, for what
 * reads as an A-number (seven to nine digits, with or without the "A" many papers leave out:
 * EOIR notices print "123-456-789"), the A-number padded to nine digits as USCIS writes it now,
 * so "A12345678", "A012345678" and "012-345-678" are one A-number.
 */
export const identifierForms = (text: string): string[] => {
  const form = identifierForm(text);
  if (!form) return [];
  const aNumber = /^A?(\d{7,9})$/.exec(form);
  return aNumber ? [form, `A-NUMBER:${aNumber[1]!.padStart(9, '0')}`] : [form];
};

/**
 * A phone number in the forms it may be typed in: E.164 when it carries a country code
 * (`+52 55 1234 5678`), and its national number alone, so a number recorded with its country
 * code is found by the national digits and the other way round (libphonenumber-js).
 */
export const phoneForms = (text: string): string[] => {
  const forms = phoneFormsAsWritten(text);
  const today = mexicanMobileOfToday(text);
  return today ? [...new Set([...forms, ...phoneFormsAsWritten(today)])] : forms;
};

/**
 * Mexico dropped the "1" it dialled after +52 before a mobile number in 2019; numbers of earlier
 * separations are on file with it (+52 1 55 1234 5678). Such a number, written with its country
 * code, is also the number of today (+52 55 1234 5678); undefined for any other text.
 */
const mexicanMobileOfToday = (text: string): string | undefined => {
  const national = /^(?:\+|00)?521(\d{10})$/.exec(text.trim().replace(/[^\d+]/g, ''))?.[1];
  return national ? `+52${national}` : undefined;
};

const phoneFormsAsWritten = (text: string): string[] => {
  const digits = text.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 17) return [];
  const international = text.trim().startsWith('+') || text.trim().startsWith('00');
  const parsed = international ? parsePhoneNumberFromString(text.trim().replace(/^00/, '+')) : undefined;
  if (parsed?.isPossible()) return [`+${parsed.countryCallingCode}${parsed.nationalNumber}`, `national:${parsed.nationalNumber}`];
  // Typed without "+": the digits as they are, and, if they make a valid number with a country
  // code in front ("502 5512 3498"), that number too.
  const guessed = parsePhoneNumberFromString(`+${digits}`);
  const withCountry = guessed?.isValid() ? [`+${guessed.countryCallingCode}${guessed.nationalNumber}`] : [];
  return [`national:${digits.replace(/^0+/, '')}`, ...withCountry];
};
