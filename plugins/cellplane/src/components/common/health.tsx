import { HealthState } from '@cellplane/backstage-plugin-common';

/**
 * One colour per health, readable on light and dark themes, and a word beside it everywhere:
 * colour alone does not reach every reader.
 */
export const HEALTH_COLOURS: Record<HealthState, string> = {
  Healthy: '#2e7d32',
  Progressing: '#1565c0',
  Degraded: '#c62828',
  OutOfSync: '#ef6c00',
  NotDeployed: '#757575',
  Unknown: '#6a1b9a',
};

/** The words a developer reads; the API's names run together. */
export const HEALTH_WORDS: Record<HealthState, string> = {
  Healthy: 'Healthy',
  Progressing: 'Progressing',
  Degraded: 'Degraded',
  OutOfSync: 'Out of sync',
  NotDeployed: 'Not deployed',
  Unknown: 'Unknown',
};

/** A coloured dot and the health in words. */
export function HealthIndicator(props: { health: HealthState }) {
  const { health } = props;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}>
      <span
        aria-hidden
        style={{ width: 10, height: 10, borderRadius: '50%', background: HEALTH_COLOURS[health], display: 'inline-block' }}
      />
      <strong style={{ color: HEALTH_COLOURS[health] }}>{HEALTH_WORDS[health]}</strong>
    </span>
  );
}
