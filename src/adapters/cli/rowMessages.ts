import type { Locale } from '../messages/locale.js';

/** Why a line of a seed file could not be read as a listener, before any profile rule applies. */
export type RowProblem = 'wrong_column_count' | 'bad_quotes' | 'malformed_csv' | 'not_json' | 'not_an_object' | 'too_long';

const MESSAGES: Record<Locale, Record<RowProblem, string>> = {
  id: {
    wrong_column_count: 'Jumlah kolom tidak sesuai dengan header.',
    bad_quotes: 'Tanda kutip dibuka tetapi tidak pernah ditutup: baris-baris sesudahnya terbaca sebagai bagian dari baris ini.',
    malformed_csv: 'Baris ini bukan CSV yang valid.',
    not_json: 'Baris ini bukan JSON yang valid.',
    not_an_object: 'Baris ini harus berupa objek JSON.',
    too_long: 'Baris ini terlalu panjang.',
  },
  en: {
    wrong_column_count: 'The number of columns does not match the header.',
    bad_quotes: 'A quote is opened but never closed: the lines after it were read as part of this one.',
    malformed_csv: 'This line is not valid CSV.',
    not_json: 'This line is not valid JSON.',
    not_an_object: 'This line must be a JSON object.',
    too_long: 'This line is too long.',
  },
};

export const rowProblemMessage = (locale: Locale, problem: RowProblem): string => MESSAGES[locale][problem];
