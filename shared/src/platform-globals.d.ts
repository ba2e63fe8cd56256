/**
 * The few web-platform globals that browsers and Node both provide. `shared` compiles without
 * the DOM and Node libraries so that it cannot grow a dependency on either; what it may use
 * from the host is declared here and nowhere else.
 */
declare global {
  interface URLSearchParams {
    append(name: string, value: string): void;
    entries(): IterableIterator<[string, string]>;
    get(name: string): string | null;
  }
  interface URL {
    hash: string;
    host: string;
    hostname: string;
    href: string;
    password: string;
    pathname: string;
    port: string;
    protocol: string;
    search: string;
    readonly searchParams: URLSearchParams;
    username: string;
    toString(): string;
  }
  var URL: { new (url: string, base?: string): URL };
  var URLSearchParams: { new (init?: string): URLSearchParams };

  interface TextEncoder {
    encode(input?: string): Uint8Array;
  }
  interface TextDecoder {
    decode(input?: Uint8Array): string;
  }
  var TextEncoder: { new (): TextEncoder };

  /** Web Crypto's digest: in browsers and in Node (globalThis.crypto) alike. */
  var crypto: { subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> } };
  var TextDecoder: { new (label?: string, options?: { fatal?: boolean }): TextDecoder };
}

export {};
