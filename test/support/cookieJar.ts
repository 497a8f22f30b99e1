import type { TestResponse } from './httpClient.js';

/**
 * What a browser's cookie store does with Set-Cookie, as far as these tests need it: a cookie is kept until a
 * later one of the same name replaces it, and one with `Max-Age` of zero or less removes it (RFC 6265 §5.3).
 * Every cookie of this service applies to `/livechat/…`, so paths and domains are not told apart; the tests
 * that use the jar assert the exact Set-Cookie lines, paths included.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  receive(response: TestResponse): void {
    for (const line of response.setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const maxAge = attributes.find((attribute) => attribute.toLowerCase().startsWith('max-age='));
      if (maxAge !== undefined && Number(maxAge.slice('max-age='.length)) <= 0) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1));
    }
  }

  names(): string[] {
    return [...this.cookies.keys()].sort();
  }

  /** The Cookie request header: as a browser would send it, empty when the jar is. */
  header(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }
}
