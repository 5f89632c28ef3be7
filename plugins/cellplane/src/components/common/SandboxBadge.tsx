import Chip from '@mui/material/Chip';

/**
 * Marks status that comes from the embedded sandbox data plane: a simulated cluster, not a real
 * one. Shown wherever such status is, so nobody mistakes it for production.
 */
export function SandboxBadge(props: { dataPlane?: string }) {
  const title = `Status from the sandbox data plane${props.dataPlane ? ` "${props.dataPlane}"` : ''}: a simulated cluster, no real workloads`;
  return <Chip size="small" color="warning" variant="outlined" label="Sandbox" title={title} aria-label={title} sx={{ fontWeight: 600 }} />;
}
