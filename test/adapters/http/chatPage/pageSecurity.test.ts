import { expect } from 'chai';
import { contentSecurityPolicy, pageSecurityHeaders } from '../../../../src/adapters/http/chatPage/pageSecurity.js';

const SCRIPT = 'https://chat.radio.example/client/v2/chat.js';
const SOCKET = 'wss://chat.radio.example/socket';
const HCAPTCHA = 'https://hcaptcha.com https://*.hcaptcha.com';

/** The policy as a map of directive to its sources, so that one directive can be looked at alone. */
const directives = (policy: string): Record<string, string> =>
  Object.fromEntries(policy.split('; ').map((directive) => [directive.split(' ')[0]!, directive.split(' ').slice(1).join(' ')]));

describe("the chat page's Content-Security-Policy", () => {
  // The policies as they were before a chat client could be configured: unchanged, byte for byte, without one.
  const OWN_ONLY =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-src 'none'; " +
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; " +
    "trusted-types 'none'";
  const WITH_CAPTCHA =
    `default-src 'none'; script-src 'self' ${HCAPTCHA}; style-src 'self' ${HCAPTCHA}; img-src 'self'; ` +
    `connect-src 'self' ${HCAPTCHA}; frame-src ${HCAPTCHA}; form-action 'self'; base-uri 'none'; object-src 'none'; ` +
    "frame-ancestors 'none'";

  it('allows only its own files, and forbids every HTML sink with Trusted Types, when nothing else is configured', () => {
    expect(contentSecurityPolicy({ captcha: false })).to.equal(OWN_ONLY);
    expect(contentSecurityPolicy({ captcha: false, chatClientScriptUrl: undefined, chatWebsocketUrl: undefined })).to.equal(OWN_ONLY);
  });

  it("adds hCaptcha's origins for the captcha, and drops Trusted Types", () => {
    expect(contentSecurityPolicy({ captcha: true })).to.equal(WITH_CAPTCHA);
  });

  it("allows the chat client's script by its exact URL, and drops Trusted Types for it", () => {
    const policy = directives(contentSecurityPolicy({ captcha: false, chatClientScriptUrl: SCRIPT }));
    expect(policy['script-src']).to.equal(`'self' ${SCRIPT}`);
    expect(policy['connect-src']).to.equal("'self'");
    expect(policy).to.not.have.any.keys('require-trusted-types-for', 'trusted-types');
    // Everything else as without it.
    const { 'script-src': _script, ...rest } = policy;
    const { 'script-src': _own, 'require-trusted-types-for': _require, 'trusted-types': _types, ...ownRest } = directives(OWN_ONLY);
    expect(rest).to.deep.equal(ownRest);
  });

  it('allows connecting to the chat server by its exact URL; with no third-party script, Trusted Types stay', () => {
    const policy = contentSecurityPolicy({ captcha: false, chatWebsocketUrl: SOCKET });
    expect(policy).to.equal(OWN_ONLY.replace("connect-src 'self';", `connect-src 'self' ${SOCKET};`));
  });

  it('adds the chat client to the captcha', () => {
    const policy = directives(contentSecurityPolicy({ captcha: true, chatClientScriptUrl: SCRIPT, chatWebsocketUrl: SOCKET }));
    expect(policy['script-src']).to.equal(`'self' ${HCAPTCHA} ${SCRIPT}`);
    expect(policy['connect-src']).to.equal(`'self' ${HCAPTCHA} ${SOCKET}`);
    expect(policy['style-src']).to.equal(`'self' ${HCAPTCHA}`);
    expect(policy['frame-src']).to.equal(HCAPTCHA);
  });

  it('comes with the headers against framing, referrers, openers, cross-site loads and unused features', () => {
    expect(pageSecurityHeaders({ captcha: true })).to.deep.equal({
      'Content-Security-Policy': WITH_CAPTCHA,
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()',
    });
  });

  it("leaves a chat client's features to it: no Permissions-Policy with one", () => {
    expect(pageSecurityHeaders({ captcha: false, chatClientScriptUrl: SCRIPT, chatWebsocketUrl: SOCKET })).to.deep.equal({
      'Content-Security-Policy': contentSecurityPolicy({ captcha: false, chatClientScriptUrl: SCRIPT, chatWebsocketUrl: SOCKET }),
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });
});
