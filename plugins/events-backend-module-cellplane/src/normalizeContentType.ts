import { HttpRouterService } from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import { MIMEType } from 'node:util';
import { inputError } from './parseJsonBody';

/** 415: the body is of a type this webhook does not read. */
class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError';
  statusCode = 415;
}

const CHARSET = /^[A-Za-z0-9._-]{1,40}$/;

/**
 * Checks the Content-Type of a webhook on `topics` before the events plugin reads it: that plugin
 * parses the header with a strict parser that throws a plain TypeError (500, with a stack trace)
 * when the header is missing or malformed. A missing or malformed header answers 400, another
 * type than JSON 415, both naming what to send; a good one is rewritten to its canonical form
 * (`application/json`, and the charset if given), which the events plugin's parser accepts.
 * Mounted on the events plugin's router, so it runs before the plugin's own routes.
 */
export function normalizeContentType(topics: readonly string[]): Parameters<HttpRouterService['use']>[0] {
  // The events plugin's routes match case-insensitively and with or without a trailing slash.
  const paths = new Set(topics.map(topic => `/http/${topic}`.toLowerCase()));
  return (req, _res, next) => {
    const path = req.path.toLowerCase().replace(/\/$/, '');
    if (req.method !== 'POST' || !paths.has(path)) {
      next();
      return;
    }
    const topic = path.slice('/http/'.length);
    const header = req.headers['content-type'];
    if (!header) {
      throw inputError(`a ${topic} webhook needs a Content-Type header: send the event as application/json`);
    }
    let type: MIMEType;
    try {
      type = new MIMEType(header);
    } catch {
      throw inputError(`Content-Type ${JSON.stringify(header)} is not a media type: send the event as application/json`);
    }
    if (type.essence !== 'application/json') {
      const error = new UnsupportedMediaTypeError(`a ${topic} webhook takes application/json, not ${type.essence}`);
      delete error.stack;
      throw error;
    }
    const charset = type.params.get('charset');
    if (charset !== null && !CHARSET.test(charset)) {
      throw inputError(`charset ${JSON.stringify(charset)} is not supported: send the event as UTF-8 JSON`);
    }
    req.headers['content-type'] = charset === null ? 'application/json' : `application/json; charset=${charset}`;
    next();
  };
}
