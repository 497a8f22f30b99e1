import type { ProfileErrorCode, ProfileErrors } from '../../domain/listenerProfile.js';
import { MAX_COMBINING_MARK_RUN, PROFILE_FIELDS, PROFILE_RULES, type ProfileField } from '../../domain/profileRules.js';
import type { Locale } from './locale.js';

const LABELS: Record<Locale, Record<ProfileField, string>> = {
  id: { name: 'Nama', city: 'Kota', country: 'Negara' },
  en: { name: 'Name', city: 'City', country: 'Country' },
};

const CHARACTER_CLASSES: Record<Locale, Record<ProfileField, readonly string[]>> = {
  id: { name: ['huruf', 'angka', 'spasi'], city: ['huruf', 'spasi'], country: ['huruf', 'spasi'] },
  en: { name: ['letters', 'digits', 'spaces'], city: ['letters', 'spaces'], country: ['letters', 'spaces'] },
};

/**
 * The marks by name, each followed by the mark itself: screen readers at their default punctuation level skip a
 * bare `. ' -`, and the sentence would be heard to end at "and the marks".
 */
const MARK_NAMES: Record<Locale, Readonly<Record<string, string>>> = {
  id: { '.': 'titik (.)', "'": "apostrof (')", '-': 'tanda hubung (-)', '( )': 'tanda kurung ( )' },
  en: { '.': 'full stops (.)', "'": "apostrophes (')", '-': 'hyphens (-)', '( )': 'brackets ( )' },
};

// The rule's punctuation, `. ' - ( )`, as the marks a listener knows: a pair of brackets is one.
const marksOf = (field: ProfileField): readonly string[] => PROFILE_RULES[field].punctuation.match(/\( \)|\S/gu) ?? [];

const markName = (locale: Locale, mark: string): string => {
  const name = MARK_NAMES[locale][mark];
  if (name === undefined) throw new Error(`profileMessages: no ${locale} name for the mark ${mark}`);
  return name;
};

/** Everything the field allows, as one list in the locale's own way of writing one ("a, b, dan c"). */
const allowedList = (locale: Locale, field: ProfileField): string =>
  new Intl.ListFormat(locale, { type: 'conjunction' }).format([
    ...CHARACTER_CLASSES[locale][field],
    ...marksOf(field).map((mark) => markName(locale, mark)),
  ]);

const NEEDS: Record<Locale, Record<ProfileField, string>> = {
  id: { name: 'huruf atau angka', city: 'huruf', country: 'huruf' },
  en: { name: 'a letter or a digit', city: 'a letter', country: 'a letter' },
};

type Template = (label: string, field: ProfileField, locale: Locale) => string;

const TEMPLATES: Record<Locale, Record<ProfileErrorCode, Template>> = {
  id: {
    required: (label) => `${label} wajib diisi.`,
    not_text: (label) => `${label} harus berupa teks.`,
    too_short: (label, field) => `${label} minimal ${PROFILE_RULES[field].minLength} karakter.`,
    too_long: (label, field) => `${label} maksimal ${PROFILE_RULES[field].maxLength} karakter.`,
    invalid_characters: (label, field, locale) =>
      `${label} hanya boleh berisi ${allowedList(locale, field)}.`,
    needs_letter: (label, field, locale) => `${label} harus mengandung ${NEEDS[locale][field]}.`,
    // Its own message: zalgo text is letters and marks only, all of them in the list of invalid_characters.
    too_many_marks: (label) => `${label} tidak boleh memuat lebih dari ${MAX_COMBINING_MARK_RUN} tanda diakritik berturut-turut.`,
  },
  en: {
    required: (label) => `${label} is required.`,
    not_text: (label) => `${label} must be text.`,
    too_short: (label, field) => `${label} must be at least ${PROFILE_RULES[field].minLength} characters.`,
    too_long: (label, field) => `${label} must be at most ${PROFILE_RULES[field].maxLength} characters.`,
    invalid_characters: (label, field, locale) =>
      `${label} may contain only ${allowedList(locale, field)}.`,
    needs_letter: (label, field, locale) => `${label} must contain ${NEEDS[locale][field]}.`,
    too_many_marks: (label) => `${label} may have at most ${MAX_COMBINING_MARK_RUN} accents or other combining marks in a row.`,
  },
};

const HINTS: Record<Locale, (field: ProfileField, example: string) => string> = {
  id: (field, example) => `${atLeast('id', field)}Hanya boleh berisi ${allowedList('id', field)}. Contoh: ${example}`,
  en: (field, example) => `${atLeast('en', field)}May contain only ${allowedList('en', field)}. For example: ${example}`,
};

/** The minimum length as a sentence, when there is one worth saying (a required field has at least one character). */
const atLeast = (locale: Locale, field: ProfileField): string => {
  const { minLength } = PROFILE_RULES[field];
  if (minLength <= 1) return '';
  return locale === 'id' ? `Minimal ${minLength} karakter. ` : `At least ${minLength} characters. `;
};

/**
 * A field's hint: what it allows, said before the error would (WCAG 3.3.2), from the same rule and in the same
 * words as the messages, then an example.
 */
export const profileHint = (locale: Locale, field: ProfileField, example: string): string => HINTS[locale](field, example);

export const profileErrorMessage = (locale: Locale, field: ProfileField, code: ProfileErrorCode): string =>
  TEMPLATES[locale][code](LABELS[locale][field], field, locale);

/** The `errors` map of a 422: every failing field with all its messages, in the listener's language. */
export const profileErrorMap = (locale: Locale, errors: ProfileErrors): Record<string, string[]> => {
  const map: Record<string, string[]> = {};
  for (const field of PROFILE_FIELDS) {
    const codes = errors[field];
    if (codes !== undefined) map[field] = codes.map((code) => profileErrorMessage(locale, field, code));
  }
  return map;
};
