/**
 * A phonetic key for Spanish names: two spellings that sound alike in Latin American Spanish get
 * the same key ("Gonzales"/"González", "Jiménez"/"Ximénez", "Yolanda"/"Llolanda", "Hernández"/
 * "Ernandes", "Vázquez"/"Basques"). No maintained npm package implements one (double-metaphone
 * and natural's phonetics are for English; the Spanish Metaphone of A. Mosquera, 2011, exists only
 * in Python and PHP), so this is a small one after its rules, adapted to seseo and yeísmo.
 *
 * Input: a folded token (lowercase a-z, accents removed: normalise.ts). The rules, left to right:
 * - silent h is dropped (but `ch` is one sound: X);
 * - `ll` and consonantal `y` are Y; a final `y` is the vowel i;
 * - `c` before e/i, `z` and `s` are S (seseo); `c` otherwise, `k`, `q(u)` are K; `cc` is KS;
 * - `g` before e/i and `j` are J; `gu` before e/i is G; an initial `x` before a vowel is J
 *   (Ximena/Jimena), other `x` KS;
 * - `v` and `w` are B; `ph` is F; `ñ` (folded to n) is N;
 * - a letter repeated (`rr`, `ss`, `nn`) counts once;
 * - vowels are kept only at the start (the vowel a name starts with is heard; inner vowels vary).
 * Limits: Mayan names (Q'eqchi', K'iche') follow other spelling conventions; their typos are left
 * to the edit-distance variants (search-terms.ts).
 */
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);
const isVowel = (letter: string | undefined): boolean => letter !== undefined && VOWELS.has(letter);
const frontVowel = (letter: string | undefined): boolean => letter === 'e' || letter === 'i';

export const spanishPhoneticKey = (token: string): string => {
  const word = token.replace(/[^a-z]/g, '');
  const codes: string[] = [];
  const push = (code: string): void => {
    if (codes.at(-1) !== code) codes.push(code);
  };
  for (let i = 0; i < word.length; i += 1) {
    const letter = word[i] as string;
    const next = word[i + 1];
    const afterNext = word[i + 2];
    switch (letter) {
      case 'a': case 'e': case 'i': case 'o': case 'u':
        if (codes.length === 0) push(letter.toUpperCase());
        else codes.push('');
        break;
      case 'h':
        break;
      case 'c':
        if (next === 'h') { push('X'); i += 1; }
        else if (next === 'c') { push('K'); push('S'); i += 1; }
        else push(frontVowel(next) ? 'S' : 'K');
        break;
      case 'q':
        push('K');
        if (next === 'u') i += 1;
        break;
      case 'k':
        push('K');
        break;
      case 'g':
        if (next === 'u' && frontVowel(afterNext)) { push('G'); i += 1; }
        else push(frontVowel(next) ? 'J' : 'G');
        break;
      case 'j':
        push('J');
        break;
      case 'x':
        push(i === 0 && isVowel(next) ? 'J' : 'KS');
        break;
      case 'l':
        if (next === 'l') { push('Y'); i += 1; }
        else push('L');
        break;
      case 'y':
        if (next === undefined || !isVowel(next)) { if (codes.length === 0) push('I'); else codes.push(''); }
        else push('Y');
        break;
      case 'z': case 's':
        push('S');
        break;
      case 'v': case 'w': case 'b':
        push('B');
        break;
      case 'p':
        if (next === 'h') { push('F'); i += 1; }
        else push('P');
        break;
      default:
        push(letter.toUpperCase());
    }
  }
  // The empty entries stand for inner vowels: a sound repeated across a vowel ("Nana": NN) counts
  // twice, a doubled letter ("Anna": AN) once.
  return codes.join('');
};
