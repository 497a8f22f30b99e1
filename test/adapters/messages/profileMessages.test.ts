import { expect } from 'chai';
import type { ProfileErrorCode } from '../../../src/domain/listenerProfile.js';
import { PROFILE_FIELDS, PROFILE_RULES } from '../../../src/domain/profileRules.js';
import { profileErrorMessage } from '../../../src/adapters/messages/profileMessages.js';
import { LOCALES } from '../../../src/adapters/messages/locale.js';

const CODES: readonly ProfileErrorCode[] = ['required', 'not_text', 'too_short', 'too_long', 'invalid_characters', 'needs_letter', 'too_many_marks'];

describe('profile error messages', () => {
  it('are sentences: every one ends with a full stop, in every locale', () => {
    for (const locale of LOCALES) {
      for (const field of PROFILE_FIELDS) {
        for (const code of CODES) expect(profileErrorMessage(locale, field, code), `${locale} ${field} ${code}`).to.match(/\.$/u);
      }
    }
  });

  it('name the allowed marks in words, each followed by the mark (a screen reader skips a bare one)', () => {
    expect(profileErrorMessage('id', 'name', 'invalid_characters')).to.equal(
      "Nama hanya boleh berisi huruf, angka, spasi, titik (.), apostrof ('), dan tanda hubung (-).",
    );
    expect(profileErrorMessage('en', 'city', 'invalid_characters')).to.equal(
      "City may contain only letters, spaces, full stops (.), apostrophes ('), hyphens (-), and brackets ( ).",
    );
  });

  it("name every mark of the field's rule", () => {
    for (const locale of LOCALES) {
      for (const field of PROFILE_FIELDS) {
        const message = profileErrorMessage(locale, field, 'invalid_characters');
        for (const mark of PROFILE_RULES[field].punctuation.split(' ')) {
          const shown = mark === '(' || mark === ')' ? '( )' : `(${mark})`;
          expect(message, `${locale} ${field}`).to.include(shown);
        }
      }
    }
  });
});
