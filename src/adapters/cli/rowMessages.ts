import type { Locale } from '../messages/locale.js';

/** Why a line of a seed file could not be read as a listener, before any profile rule applies. */
export type RowProblem = 'wrong_column_count' | 'bad_quotes' | 'malformed_csv' | 'not_json' | 'not_an_object' | 'too_long';

const MESSAGES: Record<Locale, Record<RowProblem, string>> = {
  id: {
    wrong_column_count: 'Jumlah kolom tidak sesuai dengan header.',
    bad_quotes: 'Tanda kutip pada baris ini tidak valid.',
    malformed_csv: 'Baris ini bukan CSV yang valid.',
    not_json: 'Baris ini bukan JSON yang valid.',
    not_an_object: 'Baris ini harus berupa objek JSON.',
    too_long: 'Baris ini terlalu panjang.',
  },
  en: {
    wrong_column_count: 'The number of columns does not match the header.',
    bad_quotes: 'The quotes on this line are not valid.',
    malformed_csv: 'This line is not valid CSV.',
    not_json: 'This line is not valid JSON.',
    not_an_object: 'This line must be a JSON object.',
    too_long: 'This line is too long.',
  },
};

export const rowProblemMessage = (locale: Locale, problem: RowProblem): string => MESSAGES[locale][problem];
