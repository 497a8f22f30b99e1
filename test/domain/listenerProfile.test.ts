import { Ajv } from 'ajv';
import { expect } from 'chai';
import { createListenerProfile, normalizeText, type ProfileErrorCode, type ProfileErrors } from '../../src/domain/listenerProfile.js';
import { PROFILE_FIELDS, PROFILE_RULES, patternOf, type ProfileField } from '../../src/domain/profileRules.js';
import { aProfile } from '../support/builders.js';

const errorsOf = (raw: Record<string, unknown>): ProfileErrors => {
  const outcome = createListenerProfile(raw);
  return outcome.ok ? {} : outcome.error;
};

/** "A" and 79 × U+0300: still 78 marks in a row once NFC has composed the first into "À". */
const ZALGO = `A${'\u0300'.repeat(79)}`;

/**
 * Default-ignorable code points that are letters or marks, so that a letter class lets them in: values
 * that render blank, or render as "Budi" while differing from it.
 */
const INVISIBLE_LOOKALIKES: [string, string][] = [
  ['U+3164 HANGUL FILLER', '\u3164\u3164'],
  ['U+1160 HANGUL JUNGSEONG FILLER', '\u1160\u1160'],
  ['U+115F HANGUL CHOSEONG FILLER', '\u115F\u115F'],
  ['U+FFA0 HALFWIDTH HANGUL FILLER', '\uFFA0\uFFA0'],
  ['a filler beside letters', 'Budi\u3164'],
  ['variation selectors and U+034F COMBINING GRAPHEME JOINER', 'Budi\uFE0F\uFE0F\u034F'],
  ['U+FE00 VARIATION SELECTOR-1', 'Budi\uFE00'],
  ['U+E0100 VARIATION SELECTOR-17', 'Budi\u{E0100}'],
  ['U+E01EF VARIATION SELECTOR-256', 'Budi\u{E01EF}'],
  ['U+034F inside a word', 'Bu\u034Fdi'],
  ['U+17B4 KHMER VOWEL INHERENT AQ', 'Budi\u17B4'],
  ['U+180B MONGOLIAN FREE VARIATION SELECTOR ONE', 'Budi\u180B'],
];

describe('ListenerProfile', () => {
  describe('accepts real names, places and countries, intact', () => {
    const valid: [ProfileField, string][] = [
      ['name', 'Budi'],
      ['name', 'José'],
      ['name', 'Nguyễn Văn An'],
      ['name', '李小龍'],
      ['name', "O'Brien"],
      ['name', 'Jean-Luc'],
      ['name', 'J. R. R. Tolkien'],
      ['name', 'محمد'],
      ['name', 'Ólafur Arnalds'],
      ['name', 'R2D2'],
      ['name', 'A'],
      // Scripts that stack combining marks, at most three on a base (NFC, the form the domain stores).
      ['name', 'देवनागरी'],
      ['name', 'कृष्णमूर्ति'],
      ['name', 'ปิ่นทอง'],
      ['name', 'שָׁלוֹם'],
      ['name', 'שַּׁמַּאי'],
      ['name', 'བསྒྲུབས'],
      ['name', 'བསྟན འཛིན'],
      ['name', 'x\u0300\u0300\u0300\u0300'],
      ['name', 'x'.repeat(100)],
      ['city', 'Solo'],
      ['city', 'São Paulo'],
      ['city', "'s-Hertogenbosch"],
      ['city', 'Frankfurt (Oder)'],
      ['city', 'St. Louis'],
      ['city', 'Yogyakarta'],
      ['city', 'ยะลา'],
      ['country', 'Indonesia'],
      ['country', "Côte d'Ivoire"],
      ['country', 'Timor-Leste'],
      ['country', 'Việt Nam'],
      ['country', '日本'],
      ['country', 'ประเทศไทย'],
      ['country', 'भारत'],
      ['country', 'יִשְׂרָאֵל'],
      ['country', 'y'.repeat(100)],
    ];
    for (const [field, value] of valid) {
      it(`${field} ${JSON.stringify(value)}`, () => {
        const outcome = createListenerProfile({ ...aProfile().build(), [field]: value });
        expect(outcome.ok).to.equal(true);
        if (outcome.ok) expect(outcome.value[field]).to.equal(value);
      });
    }
  });

  describe('refuses bad input, naming every reason', () => {
    const invalid: [string, Record<string, unknown>, ProfileErrors][] = [
      ['the seed: an empty name, nothing else', { name: '' }, { name: ['required'], city: ['required'], country: ['required'] }],
      ['a null name', aProfile().withName(null).build(), { name: ['required'] }],
      ['a missing city', aProfile().without('city').build(), { city: ['required'] }],
      ['a blank country', aProfile().withCountry('   ').build(), { country: ['required'] }],
      ['a one-letter city', aProfile().withCity('S').build(), { city: ['too_short'] }],
      ['a number as name', aProfile().withName(42).build(), { name: ['not_text'] }],
      ['an array as city', aProfile().withCity(['Solo']).build(), { city: ['not_text'] }],
      ['an object as country', aProfile().withCountry({ x: 1 }).build(), { country: ['not_text'] }],
      ['a boolean as name', aProfile().withName(true).build(), { name: ['not_text'] }],
      ['a 101-character name', aProfile().withName('x'.repeat(101)).build(), { name: ['too_long'] }],
      ['a 101-character city', aProfile().withCity('y'.repeat(101)).build(), { city: ['too_long'] }],
      ['a script tag', aProfile().withName('<script>alert(1)</script>').build(), { name: ['invalid_characters'] }],
      ['an img onerror', aProfile().withCity('"><img src=x onerror=alert(1)>').build(), { city: ['invalid_characters'] }],
      ['a NUL byte', aProfile().withName('Bu\u0000di').build(), { name: ['invalid_characters'] }],
      ['an escape character', aProfile().withName('Bu\u001bdi').build(), { name: ['invalid_characters'] }],
      ['a newline inside', aProfile().withCity('So\nlo').build(), { city: ['invalid_characters'] }],
      ['a tab inside', aProfile().withName('Bu\tdi').build(), { name: ['invalid_characters'] }],
      ['a DEL', aProfile().withCountry('Indo\u007fnesia').build(), { country: ['invalid_characters'] }],
      ['a zero-width space', aProfile().withName('Bu\u200Bdi').build(), { name: ['invalid_characters'] }],
      ['a zero-width joiner', aProfile().withName('Bu\u200Ddi').build(), { name: ['invalid_characters'] }],
      ['a byte-order mark inside', aProfile().withName('Bu\uFEFFdi').build(), { name: ['invalid_characters'] }],
      ['a right-to-left override', aProfile().withName('Budi\u202Egnp.exe').build(), { name: ['invalid_characters'] }],
      ['a bidi isolate', aProfile().withCity('\u2066Solo\u2069').build(), { city: ['invalid_characters'] }],
      ['digits in a city', aProfile().withCity('Solo 2').build(), { city: ['invalid_characters'] }],
      ['an emoji', aProfile().withName('Budi 😀').build(), { name: ['invalid_characters'] }],
      ['a semicolon', aProfile().withName('Budi; DROP TABLE sessions').build(), { name: ['invalid_characters'] }],
      ['a blank-looking name of a Hangul filler', aProfile().withName('\u3164').build(), { name: ['invalid_characters'] }],
      ['zalgo: a letter and 79 combining marks', aProfile().withName(ZALGO).build(), { name: ['too_many_marks'] }],
      ['five marks on one base', aProfile().withCity('Sox\u0300\u0300\u0300\u0300\u0300').build(), { city: ['too_many_marks'] }],
      ['five marks only', aProfile().withName('\u0300'.repeat(5)).build(), { name: ['needs_letter', 'too_many_marks'] }],
      ['zalgo after a bad character', aProfile().withCountry(`<${ZALGO}`).build(), { country: ['invalid_characters', 'too_many_marks'] }],
      ['zalgo too long', aProfile().withName(`A${'\u0300'.repeat(200)}`).build(), { name: ['too_long', 'too_many_marks'] }],
      ['punctuation only', aProfile().withName("'-.").build(), { name: ['needs_letter'] }],
      ['brackets only', aProfile().withCity('()').build(), { city: ['needs_letter'] }],
      ['short and bad at once', aProfile().withCity('<').build(), { city: ['too_short', 'invalid_characters'] }],
      [
        'every field wrong',
        { name: 7, city: 'S', country: '<b>' },
        { name: ['not_text'], city: ['too_short'], country: ['invalid_characters'] },
      ],
    ];
    for (const [label, raw, expected] of invalid) {
      it(label, () => {
        expect(errorsOf(raw)).to.deep.equal(expected);
      });
    }
  });

  describe('refuses invisible letters and marks (default-ignorable code points) in every field', () => {
    for (const [label, value] of INVISIBLE_LOOKALIKES) {
      it(label, () => {
        for (const field of PROFILE_FIELDS) {
          expect(errorsOf({ ...aProfile().build(), [field]: value }), field).to.deep.equal({ [field]: ['invalid_characters'] });
        }
      });
    }
  });

  describe('refuses zalgo (more than four combining marks in a row) in every field', () => {
    for (const field of PROFILE_FIELDS) {
      it(field, () => {
        expect(errorsOf({ ...aProfile().build(), [field]: ZALGO })).to.deep.equal({ [field]: ['too_many_marks'] });
      });
    }
  });

  describe('normalization', () => {
    it('trims, collapses inner space runs (including no-break and ideographic spaces) and composes to NFC', () => {
      expect(normalizeText('  Jean \u00A0\u3000 Luc  ')).to.equal('Jean Luc');
      expect(normalizeText('Jose\u0301')).to.equal('José');
    });

    it("reads the punctuation keyboards type in other forms as ASCII: ’ (iOS, macOS), fullwidth （ ） ． ＇ －, ‐ and ‑", () => {
      const outcome = createListenerProfile({ name: 'O\u2019Brien Jean\u2011Luc\uFF0E', city: 'Kota Baru\uFF08Selatan\uFF09', country: '\u2018Ireland\u2010' });
      expect(outcome.ok).to.equal(true);
      if (outcome.ok) expect(outcome.value).to.deep.equal({ name: "O'Brien Jean-Luc.", city: 'Kota Baru(Selatan)', country: "'Ireland-" });
      expect(normalizeText('\uFF07\uFF0D\u2019')).to.equal("'-'");
    });

    it('reads only the allowed marks so: other quotation marks and dashes stay, and are refused', () => {
      expect(errorsOf(aProfile().withName('\u201CBudi\u201D').build())).to.deep.equal({ name: ['invalid_characters'] });
      expect(errorsOf(aProfile().withName('Budi \u2013 Santoso').build())).to.deep.equal({ name: ['invalid_characters'] });
    });

    it('counts characters, not bytes or UTF-16 units', () => {
      // 100 four-byte, two-unit characters: 400 bytes, 200 UTF-16 units, 100 characters.
      const hundredHan = '𠀀'.repeat(100);
      expect(createListenerProfile(aProfile().withName(hundredHan).build()).ok).to.equal(true);
      expect(errorsOf(aProfile().withName(`${hundredHan}𠀀`).build())).to.deep.equal({ name: ['too_long'] });
    });

    it('composes decomposed (NFD) Vietnamese before the rules, so it is valid and stored composed', () => {
      const decomposed = { name: 'Nguye\u0302\u0303n Va\u0306n An', city: 'Ha\u0300 No\u0323\u0302i', country: 'Vie\u0323\u0302t Nam' };
      const outcome = createListenerProfile(decomposed);
      expect(outcome.ok).to.equal(true);
      if (outcome.ok) expect(outcome.value).to.deep.equal({ name: 'Nguyễn Văn An', city: 'Hà Nội', country: 'Việt Nam' });
    });

    it('counts a run of marks after composition: five decomposed marks of which two compose are three', () => {
      const outcome = createListenerProfile(aProfile().withName('e\u0323\u0302\u0301\u0301\u0301').build());
      expect(outcome.ok).to.equal(true);
      if (outcome.ok) expect(outcome.value.name).to.equal('ệ\u0301\u0301\u0301');
    });

    it('measures length after composition: a decomposed 100-letter name fits', () => {
      const decomposed = 'e\u0301'.repeat(100);
      const outcome = createListenerProfile(aProfile().withName(decomposed).build());
      expect(outcome.ok).to.equal(true);
      if (outcome.ok) expect(outcome.value.name).to.equal('é'.repeat(100));
    });
  });

  describe('the JSON Schema pattern published for each field', () => {
    const ajv = new Ajv();
    const samples = [
      ...['Budi', 'Nguyễn Văn An', '<script>', 'Bu\u200Bdi', "'-.", 'Solo 2', 'R2D2', '()', 'São Paulo'],
      ...['O\u2019Brien', 'Jean\u2011Luc', '\uFF08Solo\uFF09', '\u201CBudi\u201D'],
      ...['Nguye\u0302\u0303n', 'देवनागरी', 'ปิ่นทอง', 'שַּׁמַּאי', 'བསྒྲུབས', 'x\u0300\u0300\u0300\u0300', 'x\u0300\u0300\u0300\u0300\u0300'],
      ...[ZALGO, '\u0300'.repeat(5), ...INVISIBLE_LOOKALIKES.map(([, value]) => value)],
    ];
    const CHARACTER_CODES: readonly ProfileErrorCode[] = ['invalid_characters', 'needs_letter', 'too_many_marks'];
    for (const field of PROFILE_FIELDS) {
      it(`agrees with the domain on ${field}, as the documents say: on the normalized value`, () => {
        const validate = ajv.compile({ type: 'string', pattern: patternOf(PROFILE_RULES[field]) });
        for (const sample of samples) {
          const domainAccepts = !(errorsOf({ ...aProfile().build(), [field]: sample })[field] ?? []).some((code) =>
            CHARACTER_CODES.includes(code),
          );
          expect(validate(normalizeText(sample)), `${field} ${JSON.stringify(sample)}`).to.equal(domainAccepts);
        }
      });
    }
  });
});
