import { InfoCard } from '@backstage/core-components';
import { PlatformCluster, PlatformDataPlane } from '@cellplane/backstage-plugin-common';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

/** Connected, the sandbox, or not connected and why: in words, with a colour beside them. */
function ConnectionState(props: { connected: boolean; sandbox: boolean; reason?: string }) {
  const { connected, sandbox, reason } = props;
  let label = connected ? 'Connected' : 'Not connected';
  if (sandbox) label = connected ? 'Sandbox' : 'Sandbox, not ready';
  let colour: 'info' | 'success' | 'error' = 'error';
  if (connected) colour = sandbox ? 'info' : 'success';
  return (
    <>
      <Chip size="small" label={label} color={colour} variant="outlined" />
      {reason && (
        <Typography variant="body2" color={connected ? 'text.secondary' : 'error.main'} sx={{ mt: 0.5 }}>
          {reason}
        </Typography>
      )}
      {sandbox && connected && (
        <Typography variant="caption" component="div" color="text.secondary">
          An embedded stand-in (no real cluster): configure cellplane.dataPlanes to read a real one.
        </Typography>
      )}
    </>
  );
}

/** The data planes environments deploy to, whether the portal reads each, and other watched clusters. */
export function DataPlanesSection(props: { dataPlanes: PlatformDataPlane[]; otherClusters: PlatformCluster[] }) {
  const { dataPlanes, otherClusters } = props;
  return (
    <InfoCard title="Data planes">
      {dataPlanes.length === 0 ? (
        <Typography variant="body2">
          No data plane is declared and no environment names one. Declare a ClusterDataPlane under
          platform-shared/infra/data-planes/ and list its cluster under cellplane.dataPlanes in app-config.yaml.
        </Typography>
      ) : (
        <Table size="small" aria-label="Data planes">
          <TableHead>
            <TableRow>
              <TableCell>Data plane</TableCell>
              <TableCell>Environments</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {dataPlanes.map(plane => {
              const name = plane.namespace ? `${plane.namespace}/${plane.name}` : plane.name;
              return (
                <TableRow key={`${plane.kind} ${name}`} aria-label={`${plane.kind} ${name}`}>
                  <TableCell>
                    {plane.displayName ?? plane.name}{' '}
                    <Typography component="span" variant="caption" color="text.secondary">
                      {plane.kind} {name}
                    </Typography>
                    {!plane.declared && (
                      <Typography variant="caption" component="div" color="text.secondary">
                        Named by an environment, not declared in the repository (OpenChoreo's installation creates "default").
                      </Typography>
                    )}
                    {plane.description && <Typography variant="body2">{plane.description}</Typography>}
                  </TableCell>
                  <TableCell>{plane.environments.length ? plane.environments.join(', ') : 'none'}</TableCell>
                  <TableCell>
                    <ConnectionState {...plane.connection} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {otherClusters.length > 0 && (
        <Table size="small" aria-label="Other watched clusters" sx={{ mt: 2 }}>
          <caption style={{ captionSide: 'top', padding: '4px 0', fontWeight: 600 }}>Other watched clusters (no environment deploys to them)</caption>
          <TableBody>
            {otherClusters.map(cluster => (
              <TableRow key={cluster.name} aria-label={`Cluster ${cluster.name}`}>
                <TableCell>
                  {cluster.name}
                  {cluster.openChoreoControlPlane && (
                    <Typography variant="caption" component="div" color="text.secondary">
                      OpenChoreo's control plane
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <ConnectionState {...cluster} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
