import { InfoCard } from '@backstage/core-components';
import { PlatformEnvironment, PlatformPipeline } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

const envKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** An environment as a chip: its name, and whether it is production or published by pull request. */
function EnvironmentChip(props: { environment?: PlatformEnvironment; name: string }) {
  const { environment, name } = props;
  const notes = [environment?.isProduction ? 'production' : undefined, environment?.publish === 'pull-request' ? 'by pull request' : undefined].filter(Boolean);
  return (
    <Chip
      size="small"
      variant={environment?.isProduction ? 'filled' : 'outlined'}
      color={environment?.isProduction ? 'warning' : 'default'}
      label={notes.length ? `${name} (${notes.join(', ')})` : name}
    />
  );
}

function PipelineGraph(props: { pipeline: PlatformPipeline; environments: Map<string, PlatformEnvironment> }) {
  const { pipeline, environments } = props;
  const env = (name: string) => environments.get(envKey(pipeline.namespace, name));
  return (
    <Box component="section" aria-label={`Pipeline ${pipeline.namespace}/${pipeline.name}`} sx={{ mb: 2 }}>
      <Typography variant="subtitle1" component="h3">
        {pipeline.displayName ?? pipeline.name}{' '}
        <Typography component="span" variant="body2" color="text.secondary">
          ({pipeline.namespace}/{pipeline.name})
        </Typography>
      </Typography>
      {pipeline.description && <Typography variant="body2">{pipeline.description}</Typography>}
      {pipeline.promotionPaths.length === 0 ? (
        <Typography variant="body2" color="text.secondary">No promotion paths: components stay where they are first deployed.</Typography>
      ) : (
        <Box component="ul" aria-label="Promotion paths" sx={{ listStyle: 'none', pl: 0, my: 1 }}>
          {pipeline.promotionPaths.map(path => (
            <Stack component="li" key={path.source} direction="row" spacing={1} alignItems="center" sx={{ mb: 0.5 }}>
              <EnvironmentChip name={path.source} environment={env(path.source)} />
              <span aria-label="promotes to">→</span>
              {path.targets.map(target => (
                <EnvironmentChip key={target} name={target} environment={env(target)} />
              ))}
            </Stack>
          ))}
        </Box>
      )}
      <Typography variant="body2">
        Projects: {pipeline.projects.length ? pipeline.projects.join(', ') : 'none follows this pipeline yet'}
      </Typography>
    </Box>
  );
}

/** Environments and deployment pipelines: the promotion graph, production, how changes publish. */
export function PipelinesSection(props: { environments: PlatformEnvironment[]; pipelines: PlatformPipeline[] }) {
  const { environments, pipelines } = props;
  const byKey = new Map(environments.map(e => [envKey(e.namespace, e.name), e]));
  return (
    <InfoCard title="Environments and pipelines">
      {environments.length === 0 && pipelines.length === 0 ? (
        <Typography variant="body2">
          The GitOps repository has no environments or pipelines yet. Add Environments and a DeploymentPipeline under
          namespaces/&lt;namespace&gt;/platform/infra/ to give components somewhere to run.
        </Typography>
      ) : (
        <>
          {pipelines.map(pipeline => (
            <PipelineGraph key={envKey(pipeline.namespace, pipeline.name)} pipeline={pipeline} environments={byKey} />
          ))}
          <Table size="small" aria-label="Environments">
            <TableHead>
              <TableRow>
                <TableCell>Environment</TableCell>
                <TableCell>Production</TableCell>
                <TableCell>Publish</TableCell>
                <TableCell>Data plane</TableCell>
                <TableCell>Description</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {environments.map(e => (
                <TableRow key={envKey(e.namespace, e.name)} aria-label={`Environment ${e.namespace}/${e.name}`}>
                  <TableCell>
                    {e.displayName ?? e.name}{' '}
                    <Typography component="span" variant="caption" color="text.secondary">
                      {e.namespace}/{e.name}
                    </Typography>
                  </TableCell>
                  <TableCell>{e.isProduction ? 'Yes' : 'No'}</TableCell>
                  <TableCell>{e.publish === 'pull-request' ? 'Pull request' : 'Commit'}</TableCell>
                  <TableCell>
                    {e.dataPlane.kind} {e.dataPlane.name}
                  </TableCell>
                  <TableCell>{e.description ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </InfoCard>
  );
}
