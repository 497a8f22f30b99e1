import { Ajv } from 'ajv';
import { expect } from 'chai';
import { createListenerProfile, normalizeText, type ProfileErrors } from '../../src/domain/listenerProfile.js';
import { PROFILE_RULES, patternOf, type ProfileField } from '../../src/domain/profileRules.js';
import { aProfile } from '../support/builders.js';

const errorsOf = (raw: Record<string, unknown>): ProfileErrors => {
  const outcome = createListenerProfile(raw);
  return outcome.ok ? {} : outcome.error;
};

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

  describe('normalization', () => {
    it('trims, collapses inner space runs (including no-break and ideographic spaces) and composes to NFC', () => {
      expect(normalizeText('  Jean \u00A0\u3000 Luc  ')).to.equal('Jean Luc');
      expect(normalizeText('Jose\u0301')).to.equal('José');
    });

    it('counts characters, not bytes or UTF-16 units', () => {
      // 100 four-byte, two-unit characters: 400 bytes, 200 UTF-16 units, 100 characters.
      const hundredHan = '𠀀'.repeat(100);
      expect(createListenerProfile(aProfile().withName(hundredHan).build()).ok).to.equal(true);
      expect(errorsOf(aProfile().withName(`${hundredHan}𠀀`).build())).to.deep.equal({ name: ['too_long'] });
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
    const samples = ['Budi', 'Nguyễn Văn An', '<script>', 'Bu\u200Bdi', "'-.", 'Solo 2', 'R2D2', '()', 'São Paulo'];
    for (const field of ['name', 'city', 'country'] as const) {
      it(`agrees with the domain on ${field}`, () => {
        const validate = ajv.compile({ type: 'string', pattern: patternOf(PROFILE_RULES[field]) });
        for (const sample of samples) {
          const domainAccepts = !(errorsOf({ ...aProfile().build(), [field]: sample })[field] ?? []).some(
            (code) => code === 'invalid_characters' || code === 'needs_letter',
          );
          expect(validate(sample), `${field} ${sample}`).to.equal(domainAccepts);
        }
      });
    }
  });
});
