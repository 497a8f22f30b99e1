/** Where the hCaptcha widget loads its script, styles, frames and API calls from (hCaptcha's documented CSP). */
const HCAPTCHA_SOURCES = ['https://hcaptcha.com', 'https://*.hcaptcha.com'];

/** What the page may load besides its own files. */
export interface PageSources {
  /** hCaptcha's widget: its scripts, styles, frames and API calls. */
  readonly captcha: boolean;
  /** The chat client's script, let in by this one URL. */
  readonly chatClientScriptUrl?: string | undefined;
  /** The chat server the chat client connects to, reachable at this one URL. */
  readonly chatWebsocketUrl?: string | undefined;
}

const given = (source: string | undefined): string[] => (source === undefined ? [] : [source]);

/**
 * The page runs only its own script file: no inline script or style, no eval, nothing may frame it, and
 * Trusted Types forbid every HTML sink, so a value from a cookie could not become markup even by mistake.
 * A third-party script (the captcha's, the chat client's) is not ours to vouch for, so with one the page has no
 * Trusted Types; each is let in by the fewest sources it needs: hCaptcha's documented origins, the chat client's
 * script and server by their exact URLs.
 */
export const contentSecurityPolicy = (sources: PageSources): string => {
  const captcha = sources.captcha ? HCAPTCHA_SOURCES : [];
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", ...captcha, ...given(sources.chatClientScriptUrl)]],
    ['style-src', ["'self'", ...captcha]],
    ['img-src', ["'self'"]],
    ['connect-src', ["'self'", ...captcha, ...given(sources.chatWebsocketUrl)]],
    ['frame-src', sources.captcha ? captcha : ["'none'"]],
    ['form-action', ["'self'"]],
    ['base-uri', ["'none'"]],
    ['object-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  if (!sources.captcha && sources.chatClientScriptUrl === undefined) {
    directives.push(['require-trusted-types-for', ["'script'"]], ['trusted-types', ["'none'"]]);
  }
  return directives.map(([name, list]) => `${name} ${list.join(' ')}`).join('; ');
};

/**
 * Powerful features the page never uses, refused to it and to any frame in it, so that a script injected despite
 * the CSP cannot ask the listener for them. A chat client is a third-party script with needs of its own (a voice
 * note wants the microphone), so with one the page sets no such policy, as with Trusted Types above.
 */
const UNUSED_FEATURES = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'display-capture'];
export const PERMISSIONS_POLICY = UNUSED_FEATURES.map((feature) => `${feature}=()`).join(', ');

/** Keeps another site from loading the page's files into its own (Spectre-style reads, XS-leaks). */
export const ASSET_SECURITY_HEADERS: Readonly<Record<string, string>> = { 'Cross-Origin-Resource-Policy': 'same-origin' };

export const pageSecurityHeaders = (sources: PageSources): Readonly<Record<string, string>> => ({
  'Content-Security-Policy': contentSecurityPolicy(sources),
  // For browsers that predate frame-ancestors.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // A page that opened this one from another site keeps no handle on it (hCaptcha works in frames, not popups).
  'Cross-Origin-Opener-Policy': 'same-origin',
  ...ASSET_SECURITY_HEADERS,
  ...(sources.chatClientScriptUrl === undefined ? { 'Permissions-Policy': PERMISSIONS_POLICY } : {}),
});
