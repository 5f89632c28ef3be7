import { failureOf } from '../common/explainError';

/** What a developer reads when the logs or pods of a component cannot be read, and what to do. */
export function logsErrorMessage(error: Error, subject: string): { title: string; detail: string } {
  const { status, detail } = failureOf(error);
  switch (status) {
    case 401:
    case 403:
      return {
        title: `You may not read the logs of ${subject}`,
        detail: `Reading logs and events requires the cellplane.logs.read permission; ask your platform team. (${detail})`,
      };
    case 404:
      return { title: `Cellplane does not know ${subject}`, detail };
    case 503:
      return { title: `The data plane of ${subject} cannot be reached`, detail: `${detail}. Logs show once it answers; try again.` };
    default:
      return { title: 'The Cellplane backend cannot be reached', detail: `${detail}. Try again, or reload the page.` };
  }
}
