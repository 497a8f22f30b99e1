/**
 * The one source of truth for what a listener may type. The domain validates with these rules, and the
 * HTTP schema, the OpenAPI document and the CLI derive theirs from them.
 */
export const PROFILE_FIELDS = ['name', 'city', 'country'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export interface FieldRule {
  /** Length bounds in Unicode code points, after normalization. */
  readonly minLength: number;
  readonly maxLength: number;
  /** Body of a `u`-flag character class: every character must belong to it. */
  readonly allowedCharacters: string;
  /** Body of a `u`-flag character class: at least one character must belong to it. */
  readonly requiredCharacters: string;
  /** The punctuation the class allows, for messages and documentation. */
  readonly punctuation: string;
}

const PLACE_RULE: FieldRule = {
  minLength: 2,
  maxLength: 100,
  allowedCharacters: "\\p{L}\\p{M} .'()\\-",
  requiredCharacters: '\\p{L}',
  punctuation: ". ' - ( )",
};

export const PROFILE_RULES: Readonly<Record<ProfileField, FieldRule>> = {
  name: {
    minLength: 1,
    maxLength: 100,
    allowedCharacters: "\\p{L}\\p{M}\\p{Nd} .'\\-",
    requiredCharacters: '\\p{L}\\p{Nd}',
    punctuation: ". ' -",
  },
  city: PLACE_RULE,
  country: PLACE_RULE,
};

/** The JSON Schema `pattern` equivalent of a rule (ECMA-262 with the `u` flag). */
export const patternOf = (rule: FieldRule): string =>
  `^(?=.*[${rule.requiredCharacters}])[${rule.allowedCharacters}]+$`;
