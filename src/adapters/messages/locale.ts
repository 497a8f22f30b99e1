export const LOCALES = ['id', 'en'] as const;
/** Indonesian is the station's language and the default; English on request. */
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'id';
