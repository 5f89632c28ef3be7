import Typography from '@mui/material/Typography';

/** Says whether the view follows changes as they happen, or shows the last status it had. */
export function LiveIndicator(props: { streamError?: Error }) {
  const live = !props.streamError;
  return (
    <Typography
      variant="caption"
      role="status"
      title={live ? 'Changes show as they happen' : `Live updates paused (${props.streamError!.message}); reconnecting`}
      // The theme's success and warning colours: readable on the light and the dark theme alike.
      sx={{ color: live ? 'success.main' : 'warning.main', whiteSpace: 'nowrap' }}
    >
      {live ? '● Live' : '○ Reconnecting…'}
    </Typography>
  );
}
