import {
  COMBINING_MARK_RUN,
  PROFILE_FIELDS,
  PROFILE_RULES,
  allowedCharactersPatternOf,
  requiredCharactersPatternOf,
  type FieldRule,
  type ProfileField,
} from './profileRules.js';
import { err, ok, type Result } from './result.js';

export type ProfileErrorCode =
  | 'required'
  | 'not_text'
  | 'too_short'
  | 'too_long'
  | 'invalid_characters'
  | 'needs_letter'
  | 'too_many_marks';

/** Every failing field with every reason it fails, in a stable order. */
export type ProfileErrors = Partial<Record<ProfileField, ProfileErrorCode[]>>;

export interface ListenerProfile {
  readonly name: string;
  readonly city: string;
  readonly country: string;
}

export type RawProfile = Readonly<Partial<Record<ProfileField, unknown>>>;

interface CompiledRule {
  readonly rule: FieldRule;
  readonly allowed: RegExp;
  readonly required: RegExp;
}

// Invisible letters and marks are bad characters like any outside the class: the listener who reads the message
// sees no letter there. (`.` stops at line terminators, which the class refuses anyway.)
const compile = (rule: FieldRule): CompiledRule => ({
  rule,
  allowed: new RegExp(allowedCharactersPatternOf(rule), 'u'),
  required: new RegExp(requiredCharactersPatternOf(rule), 'u'),
});

const COMPILED: Readonly<Record<ProfileField, CompiledRule>> = {
  name: compile(PROFILE_RULES.name),
  city: compile(PROFILE_RULES.city),
  country: compile(PROFILE_RULES.country),
};

// The other limit of every field (see profileRules.ts), tested on the normalized value like the classes.
const MARK_RUN = new RegExp(COMBINING_MARK_RUN, 'u');

// Space separators (NBSP, ideographic space, …) fold to one ASCII space; other whitespace such as tabs and
// newlines are control characters and stay, so that the character rule rejects them inside a value.
export const SPACE_RUN = /\p{Zs}+/gu;

/**
 * Keyboards type the allowed punctuation in other forms: iOS and macOS turn the ' of "O'Brien" into ’ as it is
 * typed, Chinese and Japanese input methods give fullwidth （ ） ． ＇ －, word processors ‐ and ‑. Each is read as the
 * ASCII mark it stands for, so the listener is not refused for what the keyboard did, and a name is stored,
 * shown in the chat and kept in the cookies one way.
 */
export const PUNCTUATION_FOLDS: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\uFF07': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\uFF0D': '-',
  '\uFF0E': '.',
  '\uFF08': '(',
  '\uFF09': ')',
};
export const FOLDED_PUNCTUATION = new RegExp(`[${Object.keys(PUNCTUATION_FOLDS).join('')}]`, 'gu');

/** Unicode NFC, punctuation read as ASCII, space runs folded to one space, ends trimmed. */
export const normalizeText = (value: string): string =>
  value
    .normalize('NFC')
    .replace(FOLDED_PUNCTUATION, (mark) => PUNCTUATION_FOLDS[mark] ?? mark)
    .replace(SPACE_RUN, ' ')
    .trim();

const codePointLength = (value: string): number => {
  let length = 0;
  for (const _ of value) length += 1;
  return length;
};

const checkField = (
  compiled: CompiledRule,
  value: unknown,
): { value: string } | { errors: ProfileErrorCode[] } => {
  if (value === undefined || value === null) return { errors: ['required'] };
  if (typeof value !== 'string') return { errors: ['not_text'] };
  const normalized = normalizeText(value);
  if (normalized === '') return { errors: ['required'] };

  const errors: ProfileErrorCode[] = [];
  const length = codePointLength(normalized);
  if (length < compiled.rule.minLength) errors.push('too_short');
  if (length > compiled.rule.maxLength) errors.push('too_long');
  if (!compiled.allowed.test(normalized)) errors.push('invalid_characters');
  else if (!compiled.required.test(normalized)) errors.push('needs_letter');
  if (MARK_RUN.test(normalized)) errors.push('too_many_marks');
  return errors.length > 0 ? { errors } : { value: normalized };
};

/** Validates and normalizes what a listener typed; every failing field is reported, with all its reasons. */
export const createListenerProfile = (raw: RawProfile): Result<ListenerProfile, ProfileErrors> => {
  const errors: ProfileErrors = {};
  const values: Partial<Record<ProfileField, string>> = {};
  for (const field of PROFILE_FIELDS) {
    const outcome = checkField(COMPILED[field], raw[field]);
    if ('errors' in outcome) errors[field] = outcome.errors;
    else values[field] = outcome.value;
  }
  if (values.name === undefined || values.city === undefined || values.country === undefined) return err(errors);
  return ok({ name: values.name, city: values.city, country: values.country });
};
