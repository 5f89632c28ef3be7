import { Chip } from '@material-ui/core';

/**
 * Marks status that comes from the embedded sandbox data plane: a simulated cluster, not a real
 * one. Shown wherever such status is, so nobody mistakes it for production.
 */
export function SandboxBadge(props: { dataPlane?: string }) {
  const title = `Status from the sandbox data plane${props.dataPlane ? ` "${props.dataPlane}"` : ''}: a simulated cluster, no real workloads`;
  return (
    <Chip
      size="small"
      label="Sandbox"
      title={title}
      aria-label={title}
      style={{ background: '#fff3e0', color: '#e65100', border: '1px solid #ffb74d', fontWeight: 600 }}
    />
  );
}
