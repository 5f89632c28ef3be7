import { InputError } from '@backstage/errors';
import { HttpBodyParser } from '@backstage/plugin-events-node';

/**
 * The events plugin's JSON body parser, with the sender's mistakes answered as 400: its own
 * lets `JSON.parse` throw, which answers 500 with a stack trace. Registered for
 * `application/json`, so it parses the body of every topic of the events plugin, not only
 * Cellplane's; what it returns is what the default parser returns.
 */
export const parseJsonBody: HttpBodyParser = async (request, parsedMediaType, topic) => {
  const body: unknown = request.body;
  if (!Buffer.isBuffer(body)) {
    // The events plugin reads every body raw before calling a parser; anything else is a bug there.
    throw new Error(`the body of an event for ${topic} was not read as raw bytes`);
  }
  const charset = (parsedMediaType.parameters.charset ?? 'utf-8').toLowerCase();
  if (!Buffer.isEncoding(charset)) {
    throw inputError(`charset ${JSON.stringify(charset)} is not supported; send the event as UTF-8 JSON`);
  }
  try {
    return { bodyParsed: JSON.parse(body.toString(charset)), bodyBuffer: body, encoding: charset };
  } catch (error) {
    throw inputError(`the body of an event for ${topic} is not valid JSON: ${(error as Error).message}`);
  }
};

/** A 400 without a stack: the mistake is the sender's, and the stack would only show server paths. */
export function inputError(message: string): InputError {
  const error = new InputError(message);
  delete error.stack;
  return error;
}
