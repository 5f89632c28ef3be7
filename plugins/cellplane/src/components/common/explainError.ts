import { ResponseError } from '@backstage/errors';

/** A failed read of Cellplane's backend: its HTTP status, and the backend's own words. */
export function failureOf(error: Error): { status?: number; detail: string } {
  const status = error instanceof ResponseError ? error.statusCode : (error as { statusCode?: number }).statusCode;
  const detail = error instanceof ResponseError ? (error.body?.error?.message ?? error.message) : error.message;
  return { status, detail };
}

/** What a reader needs for each way a read of Cellplane's backend fails: a title, and what to do. */
export function explainError(error: Error, what: string): { title: string; detail: string } {
  const { status, detail } = failureOf(error);
  switch (status) {
    case 401:
    case 403:
      return { title: `You may not read ${what}`, detail: `${detail}. Ask your platform team for the permission.` };
    case 404:
      return { title: `${what[0].toUpperCase()}${what.slice(1)} cannot be found`, detail };
    case 400:
      return { title: `The portal asked for ${what} in a way the backend refuses`, detail };
    default:
      return { title: `${what[0].toUpperCase()}${what.slice(1)} could not be read`, detail: `${detail}. Reload the page to try again.` };
  }
}
