import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { ACTIVITY_KINDS, ActivityEntry, ActivityKind } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { FormEvent, useState } from 'react';
import { CommitLink } from '../Releases/ReleasesView';
import { explainError } from '../common/explainError';
import { ActivityFilterValues, useActivity } from './useActivity';

/** @public */
export interface ActivityViewProps {
  kind: 'component' | 'project';
  namespace: string;
  name: string;
}

/** Kinds as a reader says them. */
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  create: 'Created',
  edit: 'Changed',
  promotion: 'Promotion',
  rollback: 'Rollback',
  'pull-request-merge': 'Pull request merged',
};

const NO_FILTERS: ActivityFilterValues = { kinds: [], author: '', environment: '', since: '' };

function Filters(props: { value: ActivityFilterValues; onChange(value: ActivityFilterValues): void }) {
  const [draft, setDraft] = useState(props.value);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onChange(draft);
  };
  return (
    <Box component="form" onSubmit={submit} aria-label="Filter the activity" display="flex" gap={2} flexWrap="wrap" alignItems="center" mb={2}>
      <ToggleButtonGroup
        size="small"
        value={draft.kinds}
        aria-label="Kinds of change"
        onChange={(_, kinds: ActivityKind[]) => {
          // A kind applies at once: it is one click, not typing.
          const next = { ...draft, kinds };
          setDraft(next);
          props.onChange(next);
        }}
      >
        {ACTIVITY_KINDS.map(kind => (
          <ToggleButton key={kind} value={kind}>
            {ACTIVITY_KIND_LABELS[kind]}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <TextField size="small" label="Author" value={draft.author} onChange={e => setDraft({ ...draft, author: e.target.value })} />
      <TextField size="small" label="Environment" value={draft.environment} onChange={e => setDraft({ ...draft, environment: e.target.value })} />
      <TextField
        size="small"
        type="date"
        label="Since"
        InputLabelProps={{ shrink: true }}
        value={draft.since}
        onChange={e => setDraft({ ...draft, since: e.target.value })}
      />
      <Button type="submit" variant="outlined">
        Apply
      </Button>
    </Box>
  );
}

function EntryRow({ entry, showComponents }: { entry: ActivityEntry; showComponents: boolean }) {
  return (
    <TableRow>
      <TableCell>
        <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
      </TableCell>
      <TableCell>
        <Chip size="small" label={ACTIVITY_KIND_LABELS[entry.kind]} />
      </TableCell>
      <TableCell>
        {entry.summary}
        {entry.pullRequest && <Typography variant="caption" display="block">through pull request #{entry.pullRequest.number}</Typography>}
      </TableCell>
      <TableCell>
        {entry.author.name}
        {entry.requestedBy && <Typography variant="caption" display="block">asked by {entry.requestedBy}</Typography>}
      </TableCell>
      {showComponents && <TableCell>{entry.components.join(', ')}</TableCell>}
      <TableCell>{entry.environments.map(environment => <Chip key={environment} size="small" variant="outlined" label={environment} sx={{ mr: 0.5 }} />)}</TableCell>
      <TableCell>
        <CommitLink commit={entry.commit} />
      </TableCell>
    </TableRow>
  );
}

/**
 * Who changed a component or project, what and when, newest first, from the GitOps repository's
 * history (commits, promotions, rollbacks, pull requests), filtered by kind, author, environment
 * and date, each linked to its commit page. Read again when a new commit reaches it.
 *
 * @public
 */
export function ActivityView(props: ActivityViewProps) {
  const { kind, namespace, name } = props;
  const [filters, setFilters] = useState(NO_FILTERS);
  const watch = kind === 'component' ? { namespace, component: name } : { namespace, project: name };
  const activity = useActivity(`${kind}:${namespace}/${name}`, watch, filters);
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  let body;
  if (activity.loading) body = <Progress aria-label={`Loading the activity of ${name}`} />;
  else if (activity.error && activity.items.length === 0) {
    const { title, detail } = explainError(activity.error, `the activity of ${name}`);
    body = <WarningPanel severity="error" title={title} message={detail} defaultExpanded />;
  } else if (activity.items.length === 0) {
    body = (
      <Typography>
        {filtered ? 'No change matches these filters.' : `No commit of the GitOps repository has touched ${name} yet.`}
      </Typography>
    );
  } else {
    body = (
      <>
        <Table size="small" aria-label={`Activity of ${name}`}>
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>What</TableCell>
              <TableCell>Who</TableCell>
              {kind === 'project' && <TableCell>Components</TableCell>}
              <TableCell>Environments</TableCell>
              <TableCell>Commit</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {activity.items.map(entry => (
              <EntryRow key={entry.commit} entry={entry} showComponents={kind === 'project'} />
            ))}
          </TableBody>
        </Table>
        {activity.error && <WarningPanel severity="error" title="Older changes could not be read" message={`${activity.error.message}. Try again.`} />}
        {activity.nextCursor && (
          <Box mt={2}>
            <Button onClick={activity.loadMore} disabled={activity.loadingMore}>
              {activity.loadingMore ? 'Loading older changes…' : 'Show older changes'}
            </Button>
          </Box>
        )}
      </>
    );
  }
  return (
    <InfoCard title="Activity" subheader="Who changed what and when, from the GitOps repository's history">
      <Filters value={filters} onChange={setFilters} />
      {body}
    </InfoCard>
  );
}
