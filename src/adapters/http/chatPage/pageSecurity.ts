/** Where the hCaptcha widget loads its script, styles, frames and API calls from (hCaptcha's documented CSP). */
const HCAPTCHA_SOURCES = ['https://hcaptcha.com', 'https://*.hcaptcha.com'];

/**
 * The page runs only its own script file: no inline script or style, no eval, nothing may frame it, and
 * (without the captcha, whose third-party script is not ours to vouch for) Trusted Types forbid every HTML
 * sink, so a value from a cookie could not become markup even by mistake.
 */
export const contentSecurityPolicy = (captcha: boolean): string => {
  const third = captcha ? HCAPTCHA_SOURCES : [];
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", ...third]],
    ['style-src', ["'self'", ...third]],
    ['img-src', ["'self'"]],
    ['connect-src', ["'self'", ...third]],
    ['frame-src', captcha ? third : ["'none'"]],
    ['form-action', ["'self'"]],
    ['base-uri', ["'none'"]],
    ['object-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  if (!captcha) directives.push(['require-trusted-types-for', ["'script'"]], ['trusted-types', ["'none'"]]);
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
};

export const pageSecurityHeaders = (captcha: boolean): Readonly<Record<string, string>> => ({
  'Content-Security-Policy': contentSecurityPolicy(captcha),
  // For browsers that predate frame-ancestors.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
});
