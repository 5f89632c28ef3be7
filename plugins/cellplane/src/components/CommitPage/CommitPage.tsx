import { Content, InfoCard, Link, Progress, WarningPanel } from '@backstage/core-components';
import { useRouteRef, useRouteRefParams } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CommitDetails, CommitFileChange } from '@cellplane/backstage-plugin-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useSearchParams } from 'react-router-dom';
import { commitRouteRef } from '../../routes';
import { shortCommit } from '../common/revisions';
import { CommitTraceView } from './CommitTraceView';
import { useCommit } from './useCommit';
import { useCommitTrace } from './useCommitTrace';

/**
 * The portal's page for one commit of the GitOps repository (`/cellplane/commits/:sha`): first
 * where it went ("did my commit land?", live; `?component=<namespace>/<name>` focuses one
 * component), then what it changed (message, author, parents, the diff), for a repository with
 * no web UI of its own too.
 *
 * @public
 */
export function CommitPage() {
  const { sha } = useRouteRefParams(commitRouteRef);
  const [search] = useSearchParams();
  const component = search.get('component') ?? undefined;
  const result = useCommit(sha);
  const trace = useCommitTrace(sha, component);
  return (
    <Content>
      {result.state === 'loading' && <Progress aria-label={`Loading commit ${sha}`} />}
      {result.state === 'error' && <CommitError error={result.error} sha={sha} />}
      {result.state === 'loaded' && <CommitHeading commit={result.commit} />}
      {/* An unknown or malformed commit is said once, by the commit's own error. */}
      {result.state !== 'error' && (
        <Box mb={3}>
          <CommitTraceView sha={sha} component={component} state={trace} />
        </Box>
      )}
      {result.state === 'loaded' && <CommitView commit={result.commit} />}
    </Content>
  );
}

/** The sentence a developer needs for each way reading a commit fails. */
export function commitErrorMessage(error: Error, sha: string): { title: string; detail: string } {
  const status = error instanceof ResponseError ? error.statusCode : (error as { statusCode?: number }).statusCode;
  const detail = error instanceof ResponseError ? (error.body?.error?.message ?? error.message) : error.message;
  switch (status) {
    case 404:
      return { title: `The GitOps repository has no commit ${sha}`, detail };
    case 400:
      return { title: `${sha} is not a commit id`, detail };
    case 401:
    case 403:
      return { title: 'You may not read the GitOps repository', detail };
    default:
      return { title: 'The Cellplane backend cannot be reached', detail: `${detail}. Reload the page to try again.` };
  }
}

function CommitError(props: { error: Error; sha: string }) {
  const { title, detail } = commitErrorMessage(props.error, props.sha);
  return <WarningPanel severity="error" title={title} message={detail} defaultExpanded />;
}

function CommitHeading({ commit }: { commit: CommitDetails }) {
  return (
    <Box mb={2}>
      <Typography variant="h4" component="h1">
        {commit.message.split('\n')[0]}
      </Typography>
      <Typography variant="subtitle1" color="text.secondary">
        Commit {shortCommit(commit.commit)} of the GitOps repository
      </Typography>
    </Box>
  );
}

function CommitView({ commit }: { commit: CommitDetails }) {
  const commitLink = useRouteRef(commitRouteRef);
  const description = commit.message.split('\n').slice(1).join('\n').trim();
  const additions = commit.files.reduce((n, f) => n + (f.additions ?? 0), 0);
  const deletions = commit.files.reduce((n, f) => n + (f.deletions ?? 0), 0);
  return (
    <>
      <InfoCard title="Commit">
        <Box
          component="dl"
          sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 1, m: 0, '& dt': { fontWeight: 'bold' }, '& dd': { m: 0 } }}
        >
          <dt>Commit</dt>
          <dd>
            <code>{commit.commit}</code>
          </dd>
          <dt>Author</dt>
          <dd>
            {commit.author.name} &lt;{commit.author.email}&gt;
          </dd>
          <dt>Date</dt>
          <dd>
            <time dateTime={commit.date}>{new Date(commit.date).toLocaleString()}</time>
          </dd>
          <dt>{commit.parents.length === 1 ? 'Parent' : 'Parents'}</dt>
          <dd>
            {commit.parents.length === 0
              ? 'none: the first commit'
              : commit.parents.map((parent, i) => (
                  <span key={parent}>
                    {i > 0 && ', '}
                    {commitLink ? <Link to={commitLink({ sha: parent })}>{shortCommit(parent)}</Link> : shortCommit(parent)}
                  </span>
                ))}
          </dd>
        </Box>
        {description && (
          <Box component="pre" sx={{ whiteSpace: 'pre-wrap', mt: 2, mb: 0, fontFamily: 'inherit' }}>
            {description}
          </Box>
        )}
      </InfoCard>
      <Box mt={3}>
        <InfoCard
          title="Changes"
          subheader={`${commit.files.length} ${commit.files.length === 1 ? 'file' : 'files'} changed, +${additions} −${deletions}`}
        >
          {commit.truncated && (
            <WarningPanel
              severity="info"
              title="Not everything is shown"
              message="This commit is larger than the portal shows: files without a diff below are cut, and the list or message may be too. Read the whole commit with git."
            />
          )}
          {commit.files.map(file => (
            <FileDiff key={file.path} file={file} />
          ))}
        </InfoCard>
      </Box>
    </>
  );
}

const FILE_STATUS_LABELS: Record<CommitFileChange['status'], string> = {
  added: 'added',
  modified: 'modified',
  deleted: 'deleted',
  'type-changed': 'type changed',
};

const LINE_STYLES = {
  added: { display: 'block', bgcolor: 'rgba(46, 160, 67, 0.15)' },
  removed: { display: 'block', bgcolor: 'rgba(248, 81, 73, 0.15)' },
  hunk: { display: 'block', color: 'text.secondary' },
  line: { display: 'block' },
} as const;

function lineStyle(line: string) {
  if (line.startsWith('+++') || line.startsWith('---')) return LINE_STYLES.line;
  if (line.startsWith('+')) return LINE_STYLES.added;
  if (line.startsWith('-')) return LINE_STYLES.removed;
  if (line.startsWith('@@')) return LINE_STYLES.hunk;
  return LINE_STYLES.line;
}

function FileDiff({ file }: { file: CommitFileChange }) {
  const binary = file.additions === null;
  let missing: string | undefined;
  if (binary) missing = 'Binary file: not shown.';
  else if (file.patch === undefined) missing = "Not shown: the commit's diff is longer than the portal shows.";
  return (
    <Box component="section" aria-label={file.path} sx={{ mt: 3 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="subtitle2" component="h2">
          <code>{file.path}</code>
        </Typography>
        <Chip size="small" label={FILE_STATUS_LABELS[file.status]} />
        {!binary && (
          <Typography variant="caption" color="text.secondary">
            +{file.additions} −{file.deletions}
          </Typography>
        )}
      </Box>
      {missing ? (
        <Typography variant="body2" color="text.secondary">
          {missing}
        </Typography>
      ) : (
        <Box
          component="pre"
          aria-label={`Diff of ${file.path}`}
          sx={{ fontFamily: 'monospace', fontSize: '0.8rem', overflowX: 'auto', mt: 1, mb: 0, p: 1, bgcolor: 'background.default' }}
        >
          {file.patch!.replace(/\n$/, '').split('\n').map((line, i) => (
            <Box component="span" key={i} sx={lineStyle(line)}>
              {line || ' '}
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
