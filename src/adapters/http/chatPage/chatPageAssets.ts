import { readFileSync } from 'node:fs';
import escapeHtml from 'escape-html';
import { FOLDED_PUNCTUATION, PUNCTUATION_FOLDS, SPACE_RUN, type ProfileErrorCode } from '../../../domain/listenerProfile.js';
import {
  COMBINING_MARK_RUN,
  PROFILE_FIELDS,
  PROFILE_RULES,
  allowedCharactersPatternOf,
  requiredCharactersPatternOf,
  type ProfileField,
} from '../../../domain/profileRules.js';
import { captchaErrorMessage } from '../../messages/captchaMessages.js';
import { LOCALES, type Locale } from '../../messages/locale.js';
import { PAGE_TEXT } from '../../messages/pageMessages.js';
import { profileErrorMessage } from '../../messages/profileMessages.js';
import { fingerprint } from '../fingerprint.js';
import { PROFILE_COOKIE_NAMES } from '../profileCookies.js';
import type { PageSources } from './pageSecurity.js';

export const CHAT_PAGE_PATH = '/livechat';
export const ASSET_PATH = '/livechat/assets';
export const HCAPTCHA_SCRIPT_URL = 'https://js.hcaptcha.com/1/api.js';
/** The service answers within about 5 s even with its database down: three times that is a stalled connection. */
export const REQUEST_TIMEOUT_MS = 15_000;
/**
 * As long as a request may take: ample for hCaptcha's script over a slow mobile connection. A script that stalls is
 * otherwise ended only by the browser's own network timeout, minutes away if ever, with the listener told nothing.
 */
export const CAPTCHA_LOAD_TIMEOUT_MS = 15_000;

/** A file of the page; served with its fingerprint as its ETag (see precompress). */
export interface Asset {
  readonly body: string;
  readonly type: string;
}

/** An asset served under a name that carries its content's hash. */
interface FingerprintedAsset extends Asset {
  readonly name: string;
}

export interface ChatPage {
  readonly pages: Readonly<Record<Locale, Asset>>;
  /** Fingerprinted files by name: their content never changes under a name, so browsers may keep them for good. */
  readonly assets: ReadonlyMap<string, Asset>;
  /** What the page loads besides its own files, for its CSP. */
  readonly sources: PageSources;
}

/**
 * Someone else's script that takes the session the page starts to a chat server of its own. Both URLs go into the
 * page's CSP as given (the configuration has made sure that they can), and into its HTML escaped.
 */
export interface ChatClient {
  /** Set: the page loads this script after its own. */
  readonly scriptUrl?: string | undefined;
  /** Set: the browser runs that script only if it matches (Subresource Integrity), so a CDN cannot swap it. */
  readonly scriptIntegrity?: string | undefined;
  /** Set: the page may connect there, and tells the chat client so in `livechat:connected`. */
  readonly websocketUrl?: string | undefined;
}

export interface ChatPageOptions {
  /** Set: the page shows the hCaptcha widget with this sitekey and sends its token. */
  readonly captchaSitekey?: string | undefined;
  readonly chatClient?: ChatClient | undefined;
}

/** The checks of the domain's validation, as regular expression sources, so the page finds what the server would. */
export interface FieldSettings {
  readonly minLength: number;
  readonly maxLength: number;
  /** Every character allowed and none invisible; else `invalid_characters`. */
  readonly allowed: string;
  /** At least one of these characters; else `needs_letter`. */
  readonly required: string;
}

/**
 * A character that every Unicode version, so every browser, classifies as the server does: ASCII, and the emoji
 * (`Extended_Pictographic`, whose unassigned code points are kept for more of them). No emoji is a mark or a digit,
 * and the one that is a letter, U+2139 ℹ, has been one since Unicode 3.0. The page refuses a value for its characters
 * only on such a character, on a browser's older tables too.
 */
export const STABLE_CHARACTER = '[\\u0000-\\u007F\\p{Extended_Pictographic}]';

/** Every code the page can find: a form field always holds text, so never `not_text`. */
export const PAGE_CHECKED_CODES = [
  'required',
  'too_short',
  'too_long',
  'invalid_characters',
  'needs_letter',
  'too_many_marks',
] as const satisfies readonly ProfileErrorCode[];
export type PageCheckedCode = (typeof PAGE_CHECKED_CODES)[number];

/** What the page's script needs to know, derived from the one source of each fact. */
export interface PageSettings {
  readonly endpoint: string;
  /** DELETE: expires the guest and profile cookies, which the page's script cannot touch. */
  readonly forgetEndpoint: string;
  /** How long the page waits for an answer (its body included) before it says the server cannot be reached. */
  readonly requestTimeoutMs: number;
  readonly locale: Locale;
  readonly fields: readonly ProfileField[];
  readonly cookies: Readonly<Record<ProfileField, string>>;
  readonly rules: Readonly<Record<ProfileField, FieldSettings>>;
  /** The marks the server reads as ASCII (`foldedPunctuation` matches them), and what each is read as. */
  readonly punctuationFolds: Readonly<Record<string, string>>;
  readonly foldedPunctuation: string;
  readonly spaceRun: string;
  /** A run of combining marks no field may hold; else `too_many_marks`. */
  readonly markRun: string;
  /** A character whose class the browser knows for certain: see STABLE_CHARACTER. */
  readonly stableCharacter: string;
  /** The server's message for each field and code in this locale, so the page says word for word what it would. */
  readonly messages: Readonly<Record<ProfileField, Readonly<Record<PageCheckedCode, string>>>>;
  readonly captchaSitekey: string | null;
  readonly captchaScript: string;
  /** How long hCaptcha's script may take to load before the page says it cannot be loaded. */
  readonly captchaLoadTimeoutMs: number;
  /** The server's message for a missing captcha in this locale: the page finds an unsolved one before sending. */
  readonly captchaRequired: string;
  /** Where the chat client connects; handed to it with the session. */
  readonly websocketUrl: string | null;
  readonly text: (typeof PAGE_TEXT)[Locale]['script'];
}

const sourceFile = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/** `stem` and `extension` around the hash: the same hash the file's ETag is. */
const fingerprinted = (stem: string, extension: string, body: string, type: string): FingerprintedAsset => {
  const hash = fingerprint(body);
  return { name: `${stem}.${hash}.${extension}`, body, type };
};

const fieldSettings = (field: ProfileField): FieldSettings => {
  const rule = PROFILE_RULES[field];
  return {
    minLength: rule.minLength,
    maxLength: rule.maxLength,
    allowed: allowedCharactersPatternOf(rule),
    required: requiredCharactersPatternOf(rule),
  };
};

const byField = <T>(value: (field: ProfileField) => T): Record<ProfileField, T> =>
  Object.fromEntries(PROFILE_FIELDS.map((field) => [field, value(field)])) as Record<ProfileField, T>;

const fieldMessages = (locale: Locale, field: ProfileField): Record<PageCheckedCode, string> =>
  Object.fromEntries(PAGE_CHECKED_CODES.map((code) => [code, profileErrorMessage(locale, field, code)])) as Record<
    PageCheckedCode,
    string
  >;

export const pageSettings = (locale: Locale, options: ChatPageOptions): PageSettings => ({
  endpoint: `${CHAT_PAGE_PATH}/session`,
  forgetEndpoint: `${CHAT_PAGE_PATH}/guest`,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  locale,
  fields: PROFILE_FIELDS,
  cookies: PROFILE_COOKIE_NAMES,
  rules: byField(fieldSettings),
  punctuationFolds: PUNCTUATION_FOLDS,
  foldedPunctuation: FOLDED_PUNCTUATION.source,
  spaceRun: SPACE_RUN.source,
  markRun: COMBINING_MARK_RUN,
  stableCharacter: STABLE_CHARACTER,
  messages: byField((field) => fieldMessages(locale, field)),
  captchaSitekey: options.captchaSitekey ?? null,
  captchaScript: HCAPTCHA_SCRIPT_URL,
  captchaLoadTimeoutMs: CAPTCHA_LOAD_TIMEOUT_MS,
  captchaRequired: captchaErrorMessage(locale, 'required'),
  websocketUrl: options.chatClient?.websocketUrl ?? null,
  text: PAGE_TEXT[locale].script,
});

/**
 * Fills `{{key}}` placeholders, HTML-escaped; a placeholder without a value is a bug caught at start. A line with
 * an optional `{{key?}}` is left out, whole, when that key has no value, so markup that depends on a setting stays
 * in the template and goes through the same escaping.
 */
const render = (template: string, values: Readonly<Record<string, string | undefined>>): string =>
  template
    .replace(/^.*\{\{(\w+)\?\}\}.*\n/gm, (line, key: string) =>
      values[key] === undefined ? '' : line.replace(`{{${key}?}}`, `{{${key}}}`),
    )
    .replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`chat page template: no value for {{${key}}}`);
      return escapeHtml(value);
    });

/** The template's values for the chat client's script tag: one of its two lines, with integrity or without. */
const chatClientScript = (client: ChatClient | undefined): Record<string, string | undefined> =>
  client?.scriptIntegrity === undefined
    ? { chatClientScriptUrl: client?.scriptUrl }
    : { checkedChatClientScriptUrl: client.scriptUrl, chatClientScriptIntegrity: client.scriptIntegrity };

/**
 * Builds the page once at start: one HTML document and one script per language (the script carries its
 * settings, so the page needs no inline script and no second request), the stylesheet and the icon.
 */
export const buildChatPage = (options: ChatPageOptions = {}): ChatPage => {
  const template = sourceFile('livechat.html');
  const script = sourceFile('livechat.js');
  const style = fingerprinted('livechat', 'css', sourceFile('livechat.css'), 'text/css; charset=utf-8');
  const icon = fingerprinted('icon', 'svg', sourceFile('icon.svg'), 'image/svg+xml');
  const assets = new Map<string, Asset>([
    [style.name, style],
    [icon.name, icon],
  ]);

  const pages = {} as Record<Locale, Asset>;
  for (const locale of LOCALES) {
    const settings = JSON.stringify(pageSettings(locale, options));
    const body = `(() => {\n${script}\nstartLivechatPage(${settings});\n})();\n`;
    const localized = fingerprinted(`livechat.${locale}`, 'js', body, 'text/javascript; charset=utf-8');
    assets.set(localized.name, localized);
    const html = render(template, {
      lang: locale,
      styleUrl: `${ASSET_PATH}/${style.name}`,
      iconUrl: `${ASSET_PATH}/${icon.name}`,
      scriptUrl: `${ASSET_PATH}/${localized.name}`,
      ...chatClientScript(options.chatClient),
      ...PAGE_TEXT[locale].html,
    });
    pages[locale] = { body: html, type: 'text/html; charset=utf-8' };
  }
  const sources: PageSources = {
    captcha: options.captchaSitekey !== undefined,
    chatClientScriptUrl: options.chatClient?.scriptUrl,
    chatWebsocketUrl: options.chatClient?.websocketUrl,
  };
  return { pages, assets, sources };
};
