import { InputError } from '@backstage/errors';
import express from 'express';

/** Errors Backstage's error handler answers with a 4xx by their name. */
const CLIENT_ERROR_NAMES = new Set(['InputError', 'AuthenticationError', 'NotAllowedError', 'NotFoundError', 'ConflictError']);

/**
 * The last handler of each of Cellplane's routers. A 4xx is the caller's mistake, answered with a message that
 * says what to change: its stack trace (which Backstage's error handler adds in development,
 * with the server's file paths) helps nobody, so it is dropped here. A 5xx keeps its stack for
 * the developer; production shows none (Backstage's handler decides by NODE_ENV).
 *
 * Express answers a path parameter that is not valid percent-encoding with a bare URIError; it
 * becomes an InputError that says so.
 */
export const omitClientErrorStacks: express.ErrorRequestHandler = (error, _req, _res, next) => {
  const clientError =
    error?.name === 'URIError' && error.status === 400
      ? new InputError(`a path parameter is not valid percent-encoding: ${error.message}`)
      : error;
  if (clientError instanceof Error && isClientError(clientError as Error & { statusCode?: unknown; status?: unknown })) {
    delete clientError.stack;
  }
  next(clientError);
};

function isClientError(error: Error & { statusCode?: unknown; status?: unknown }): boolean {
  const status = typeof error.statusCode === 'number' ? error.statusCode : error.status;
  return typeof status === 'number' ? status >= 400 && status < 500 : CLIENT_ERROR_NAMES.has(error.name);
}
