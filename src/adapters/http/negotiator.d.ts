// negotiator 1.x, as far as this service uses it: @types/negotiator describes 0.6, which has no `preferred`.
declare module 'negotiator' {
  interface NegotiatorOptions {
    /** Breaks ties between codings the client weighs alike; without it the client's listing order does. */
    readonly preferred?: readonly string[];
  }

  export default class Negotiator {
    constructor(request: { readonly headers: Readonly<Record<string, string | string[] | undefined>> });
    encodings(available: readonly string[], options?: NegotiatorOptions): string[];
  }
}
