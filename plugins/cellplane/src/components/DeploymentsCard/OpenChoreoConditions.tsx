import {
  OpenChoreoResourceStatus,
  OpenChoreoStatus,
  StatusCondition,
} from '@cellplane/backstage-plugin-common';
import Typography from '@mui/material/Typography';

/** Theme colours, so a condition reads on light and dark themes alike. */
const CONDITION_COLOURS: Record<string, string> = {
  True: 'success.main',
  False: 'error.main',
};

/**
 * OpenChoreo's own view of a component in an environment, beside Cellplane's: the conditions of
 * its ReleaseBinding and RenderedReleases as OpenChoreo's controllers wrote them (type, status,
 * reason, message), or why its control plane cannot be read.
 */
export function OpenChoreoConditions(props: { status?: OpenChoreoStatus }) {
  const { status } = props;
  if (!status) return <>—</>;
  const resources = [
    ...(status.releaseBinding ? [status.releaseBinding] : []),
    ...status.renderedReleases,
  ];
  return (
    <div style={{ minWidth: 220 }}>
      {!status.controlPlane.available && (
        <Typography variant="body2" sx={{ color: 'warning.dark' }}>
          control plane {status.controlPlane.name} cannot be read
          {status.controlPlane.reason ? `: ${status.controlPlane.reason}` : ''}
        </Typography>
      )}
      {status.controlPlane.available && !status.releaseBinding && (
        <Typography variant="body2" color="text.secondary">
          no ReleaseBinding in {status.controlPlane.name}
        </Typography>
      )}
      {resources.map(resource => (
        <Resource
          key={`${resource.kind}/${resource.name}`}
          resource={resource}
        />
      ))}
    </div>
  );
}

function Resource(props: { resource: OpenChoreoResourceStatus }) {
  const { resource } = props;
  const label = `${resource.kind} ${resource.name}`;
  const facts = [
    resource.releaseName && `release ${resource.releaseName}`,
    resource.state && resource.state !== 'Active' && resource.state,
    resource.targetPlane &&
      resource.targetPlane !== 'dataplane' &&
      resource.targetPlane,
    resource.resources &&
      `${resource.resources.healthy}/${resource.resources.total} resources healthy`,
    !resource.reconciled && 'not yet reconciled',
  ].filter(Boolean);
  return (
    <div style={{ marginBottom: 4 }}>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
        {facts.length > 0 && ` (${facts.join(', ')})`}
      </Typography>
      {resource.conditions.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          no conditions yet
        </Typography>
      ) : (
        <ul
          aria-label={`OpenChoreo conditions of ${label}`}
          style={{ margin: 0, paddingLeft: 18 }}
        >
          {resource.conditions.map(condition => (
            <Condition key={condition.type} condition={condition} />
          ))}
        </ul>
      )}
    </div>
  );
}

function Condition(props: { condition: StatusCondition }) {
  const { condition } = props;
  return (
    <li aria-label={`${condition.type}: ${condition.status}`}>
      <Typography variant="body2" component="span">
        <strong>{condition.type}</strong>{' '}
        <Typography component="span" variant="body2" sx={{ color: CONDITION_COLOURS[condition.status] }}>
          {condition.status}
        </Typography>
        {condition.reason && <> · {condition.reason}</>}
      </Typography>
      {condition.message && (
        <Typography variant="caption" color="text.secondary" component="div">
          {condition.message}
        </Typography>
      )}
    </li>
  );
}
