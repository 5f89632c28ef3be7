import { WarningPanel } from '@backstage/core-components';
import { failureOf } from './explainError';

/** The sentence a developer needs for each way a status read fails. */
export function statusErrorMessage(error: Error, subject: string): { title: string; detail: string } {
  const { status, detail } = failureOf(error);
  switch (status) {
    case 401:
    case 403:
      return {
        title: `You may not read the status of ${subject}`,
        detail: `Reading status requires the cellplane.status.read permission. ${detail}`,
      };
    case 404:
      return { title: `Cellplane does not know ${subject}`, detail };
    case 400:
      return { title: `Cellplane cannot read the status of ${subject}`, detail };
    default:
      return {
        title: 'The Cellplane status service cannot be reached',
        detail: `${detail}. Status shows again once the backend answers; reload the page to retry.`,
      };
  }
}

export function StatusError(props: { error: Error; subject: string }) {
  const { title, detail } = statusErrorMessage(props.error, props.subject);
  return (
    <WarningPanel severity="error" title={title} message={detail} defaultExpanded />
  );
}
