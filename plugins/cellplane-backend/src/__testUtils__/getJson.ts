import http from 'node:http';
import { AddressInfo } from 'node:net';

/** What a GET answered: status, content type, and the parsed JSON body (undefined for a stream). */
export interface Answer {
  status: number;
  type: string;
  body: any;
}

/**
 * GETs `path` as sent (no normalisation of `..` or re-encoding), reading the JSON body, but only
 * the head of a Server-Sent Events stream, which would never end.
 */
export function getJson(server: http.Server, path: string, authorization?: string): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: authorization ? { authorization } : {} }, res => {
      const type = String(res.headers['content-type'] ?? '');
      if (type.startsWith('text/event-stream')) {
        resolve({ status: res.statusCode!, type, body: undefined });
        req.destroy();
        return;
      }
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', chunk => (raw += chunk));
      res.on('end', () => {
        let body: unknown = raw;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          // left as text: the caller's assertion says what was expected
        }
        resolve({ status: res.statusCode!, type, body });
      });
    });
    req.on('error', reject);
  });
}
