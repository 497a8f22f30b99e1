import http from 'node:http';

export interface TestResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as it arrived, still in its Content-Encoding if it has one. */
  readonly bytes: Buffer;
  readonly text: string;
  readonly json: unknown;
  readonly setCookies: string[];
  /** `name=value` pairs of the Set-Cookie headers, ready to send back as a Cookie header. */
  readonly cookieHeader: string;
}

export interface TestRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** A value is sent as JSON; a string or a Buffer is sent as it is. */
  readonly body?: unknown;
  /** Source address of the connection (any 127.x.y.z works on Linux): a different client to the server. */
  readonly localAddress?: string;
  /** Fail, as a probe with this timeout would, when no answer has arrived by then. */
  readonly timeoutMs?: number;
}

/** node:http rather than fetch: tests need to choose the source address and send any header. */
export const send = (baseUrl: string, request: TestRequest): Promise<TestResponse> =>
  new Promise((resolve, reject) => {
    const body =
      request.body === undefined || typeof request.body === 'string' || Buffer.isBuffer(request.body)
        ? request.body
        : JSON.stringify(request.body);
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const req = http.request(
      new URL(request.path, baseUrl),
      { method: request.method ?? 'GET', headers, localAddress: request.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          const setCookies = res.headers['set-cookie'] ?? [];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bytes,
            text,
            json,
            setCookies,
            cookieHeader: setCookies.map((cookie) => cookie.split(';')[0]).join('; '),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (request.timeoutMs !== undefined) {
      const { timeoutMs } = request;
      const timer = setTimeout(() => req.destroy(new Error(`no answer to ${request.path} within ${timeoutMs} ms`)), timeoutMs);
      req.once('close', () => clearTimeout(timer));
    }
    if (body !== undefined) req.write(body);
    req.end();
  });

export const postSession = (baseUrl: string, body: unknown, options: Omit<TestRequest, 'path' | 'body'> = {}): Promise<TestResponse> =>
  send(baseUrl, { method: 'POST', path: '/livechat/session', body, ...options });
