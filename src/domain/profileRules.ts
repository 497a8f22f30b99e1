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

/*
 * Two limits hold for every field, on top of its character class. Each is the source of a `u`-flag regular
 * expression that no value may match anywhere. A character class cannot express either: ECMA-262 `u`
 * patterns (the JSON Schema dialect) have no set subtraction, and a class says nothing about runs.
 *
 * Default-ignorable code points render as nothing, yet some are letters or marks that `\p{L}` and `\p{M}`
 * let in: U+3164 HANGUL FILLER and its kin make a name that shows blank, and variation selectors or U+034F
 * COMBINING GRAPHEME JOINER make "Budi" that is not "Budi", a way to pass for another listener. The others
 * (zero-width spaces and joiners, bidi controls, unassigned) are ones the classes already refuse.
 */
const INVISIBLE_CHARACTER = '\\p{Default_Ignorable_Code_Point}';
/** A lookahead at a value's start: no invisible character anywhere in it. */
export const NO_INVISIBLE_CHARACTER = `(?!.*${INVISIBLE_CHARACTER})`;

/**
 * Real names stack few marks on one base: after NFC Vietnamese keeps none (NFD has two at most), and
 * Devanagari, Thai, pointed Hebrew and Tibetan stacks seldom more than three. Longer runs are "zalgo" text,
 * which spills over the lines around it in the chat.
 */
export const MAX_COMBINING_MARK_RUN = 4;
export const COMBINING_MARK_RUN = `\\p{M}{${MAX_COMBINING_MARK_RUN + 1}}`;

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

/** Matches a value whose every character the rule allows, none of them invisible (else `invalid_characters`). */
export const allowedCharactersPatternOf = (rule: FieldRule): string => `^${NO_INVISIBLE_CHARACTER}[${rule.allowedCharacters}]*$`;

/** Matches a value with at least one of the characters the rule requires (else `needs_letter`). */
export const requiredCharactersPatternOf = (rule: FieldRule): string => `[${rule.requiredCharacters}]`;

/**
 * The JSON Schema `pattern` equivalent of a rule (ECMA-262 with the `u` flag): the two limits above as
 * negative lookaheads, then the rule's own classes. `.` stops at line terminators, but the class refuses
 * those anyway, so the lookaheads see every character of any value that can match.
 */
export const patternOf = (rule: FieldRule): string =>
  `^${NO_INVISIBLE_CHARACTER}(?!.*${COMBINING_MARK_RUN})(?=.*[${rule.requiredCharacters}])[${rule.allowedCharacters}]+$`;
