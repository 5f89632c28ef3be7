import { Typography } from '@material-ui/core';

/** Says whether the view follows changes as they happen, or shows the last status it had. */
export function LiveIndicator(props: { streamError?: Error }) {
  const live = !props.streamError;
  return (
    <Typography
      variant="caption"
      role="status"
      title={live ? 'Changes show as they happen' : `Live updates paused (${props.streamError!.message}); reconnecting`}
      style={{ color: live ? '#2e7d32' : '#ef6c00', whiteSpace: 'nowrap' }}
    >
      {live ? '● Live' : '○ Reconnecting…'}
    </Typography>
  );
}
