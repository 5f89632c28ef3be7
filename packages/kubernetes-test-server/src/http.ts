import { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, errors } from './status';

// etcd's default request size limit, which the API server inherits.
const maxBodyBytes = 3 * 1024 * 1024;

/** Send a JSON body (a string is sent as is: stored objects are already serialized). */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown | string,
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: unknown) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const error =
    e instanceof ApiError
      ? e
      : errors.internal((e as Error)?.message ?? String(e));
  sendJson(res, error.code, error.toStatus());
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      throw new ApiError(
        413,
        'RequestEntityTooLarge',
        'Request entity too large: limit is 3145728',
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function parseBody(
  req: IncomingMessage,
  contentType: string,
): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return undefined;
  try {
    if (contentType.includes('yaml')) return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(
      `the body of the request could not be decoded as ${
        contentType.includes('yaml') ? 'YAML' : 'JSON'
      }: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}
