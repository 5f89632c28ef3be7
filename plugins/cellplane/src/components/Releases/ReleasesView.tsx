import { InfoCard, Link, Progress, WarningPanel } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { ComponentReleaseList, ComponentReleaseSummary, ReleaseDeployment } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { commitRouteRef } from '../../routes';
import { shortCommit } from '../common/revisions';
import { ReleaseCompare } from './ReleaseCompare';
import { explainError } from '../common/explainError';
import { useReleases } from './useReleases';

/** @public */
export interface ReleasesViewProps {
  namespace: string;
  component: string;
}

const when = (iso: string) => new Date(iso).toLocaleString();

/** A link to the portal's page of a commit (the trace, then the diff). */
export function CommitLink(props: { commit: string }) {
  const commitLink = useRouteRef(commitRouteRef);
  const to = commitLink ? commitLink({ sha: props.commit }) : `/cellplane/commits/${props.commit}`;
  return <Link to={to}>{shortCommit(props.commit)}</Link>;
}

function Span({ span }: { span: ReleaseDeployment }) {
  return (
    <li>
      <strong>{span.environment}</strong>: <time dateTime={span.since}>{when(span.since)}</time> (<CommitLink commit={span.sinceCommit} />)
      {' → '}
      {span.until && span.untilCommit ? (
        <>
          <time dateTime={span.until}>{when(span.until)}</time> (<CommitLink commit={span.untilCommit} />)
        </>
      ) : (
        'now'
      )}
    </li>
  );
}

/** Where a release runs now: the environments that pin it, and for the current one those that follow the component. */
function runsNow(item: ComponentReleaseSummary, list: ComponentReleaseList) {
  return [...item.environments, ...(item.current ? list.unpinnedEnvironments : [])];
}

function ReleaseRow(props: { item: ComponentReleaseSummary; list: ComponentReleaseList; selected: boolean; onToggle(): void; selectable: boolean }) {
  const { item, list, selected, onToggle, selectable } = props;
  const running = runsNow(item, list);
  return (
    <TableRow selected={selected}>
      <TableCell padding="checkbox">
        <Checkbox checked={selected} onChange={onToggle} disabled={!selected && !selectable} inputProps={{ 'aria-label': `Compare ${item.name}` }} />
      </TableCell>
      <TableCell>
        <code>{item.name}</code>
        {item.current && <Chip size="small" label="current" sx={{ ml: 1 }} />}
      </TableCell>
      <TableCell>{item.images.join(', ')}</TableCell>
      <TableCell>
        {item.createdAt && item.commit ? (
          <>
            <time dateTime={item.createdAt}>{when(item.createdAt)}</time> in <CommitLink commit={item.commit} />
          </>
        ) : (
          'not in the history Git has'
        )}
      </TableCell>
      <TableCell>
        {running.length ? running.map(environment => <Chip key={environment} size="small" label={environment} sx={{ mr: 0.5 }} />) : 'nowhere'}
      </TableCell>
      <TableCell>
        {item.deployments?.length ? (
          <Box component="ul" sx={{ m: 0, pl: 2 }} aria-label={`Where ${item.name} ran`}>
            {item.deployments.map(span => (
              <Span key={`${span.environment}-${span.sinceCommit}`} span={span} />
            ))}
          </Box>
        ) : (
          'never pinned'
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * A component's releases, newest first: image, when made and by which commit, where each runs now
 * and where and when it ran; choose two to compare them (spec and rendered manifests). Read again
 * when a new commit reaches the component.
 *
 * @public
 */
export function ReleasesView(props: ReleasesViewProps) {
  const { namespace, component } = props;
  const result = useReleases(namespace, component);
  const [selected, setSelected] = useState<string[]>([]);
  const [compared, setCompared] = useState<[string, string]>();

  if (result.state === 'loading') return <Progress aria-label={`Loading the releases of ${component}`} />;
  if (result.state === 'error') {
    const { title, detail } = explainError(result.error, `the releases of ${component}`);
    return <WarningPanel severity="error" title={title} message={detail} defaultExpanded />;
  }
  const list = result.value;
  if (list.items.length === 0) {
    return (
      <InfoCard title="Releases">
        <Typography>
          {component} has no releases yet. A release is a snapshot of the component: promoting it, or pinning an
          environment to what it runs, makes one.
        </Typography>
      </InfoCard>
    );
  }
  const toggle = (name: string) => setSelected(now => (now.includes(name) ? now.filter(n => n !== name) : [...now, name]));
  // Older first, so the diff reads as the change from one to the other.
  const order = (names: string[]) =>
    [...names].sort((a, b) => list.items.findIndex(i => i.name === b) - list.items.findIndex(i => i.name === a)) as [string, string];
  const environments = [...new Set(list.items.flatMap(item => [...runsNow(item, list), ...(item.deployments ?? []).map(d => d.environment)]))];

  return (
    <InfoCard title="Releases" subheader={`Read at commit ${shortCommit(list.revision ?? '') ?? 'none'}`}>
      {list.historyComplete === false && (
        <Typography variant="body2" color="text.secondary">
          Where releases ran is read from the recent history only; older deployments are not shown.
        </Typography>
      )}
      <Table size="small" aria-label={`Releases of ${component}`}>
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" />
            <TableCell>Release</TableCell>
            <TableCell>Image</TableCell>
            <TableCell>Made</TableCell>
            <TableCell>Runs now</TableCell>
            <TableCell>Ran</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {list.items.map(item => (
            <ReleaseRow
              key={item.name}
              item={item}
              list={list}
              selected={selected.includes(item.name)}
              selectable={selected.length < 2}
              onToggle={() => toggle(item.name)}
            />
          ))}
        </TableBody>
      </Table>
      <Box display="flex" alignItems="center" gap={2} mt={2}>
        <Button variant="contained" disabled={selected.length !== 2} onClick={() => setCompared(order(selected))}>
          Compare
        </Button>
        {selected.length !== 2 && (
          <Typography variant="body2" color="text.secondary">
            {list.items.length < 2 ? 'There is only one release: nothing to compare it with.' : 'Choose two releases to compare.'}
          </Typography>
        )}
      </Box>
      {compared && (
        <ReleaseCompare
          key={compared.join(' ')}
          namespace={namespace}
          component={component}
          from={compared[0]}
          to={compared[1]}
          environments={environments}
        />
      )}
    </InfoCard>
  );
}
