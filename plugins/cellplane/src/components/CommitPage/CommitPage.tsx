import { Content, InfoCard, Link, Progress, WarningPanel } from '@backstage/core-components';
import { useRouteRef, useRouteRefParams } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CommitDetails, CommitFileChange } from '@cellplane/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { commitRouteRef } from '../../routes';
import { shortCommit } from '../common/revisions';
import { useCommit } from './useCommit';

const useStyles = makeStyles(theme => ({
  details: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
    '& dt': { fontWeight: theme.typography.fontWeightBold as number },
    '& dd': { margin: 0 },
  },
  message: { whiteSpace: 'pre-wrap', margin: theme.spacing(2, 0, 0), fontFamily: 'inherit' },
  file: { marginTop: theme.spacing(3) },
  fileHeader: { display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' },
  patch: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    overflowX: 'auto',
    margin: theme.spacing(1, 0, 0),
    padding: theme.spacing(1),
    background: theme.palette.background.default,
  },
  added: { background: 'rgba(46, 160, 67, 0.15)', display: 'block' },
  removed: { background: 'rgba(248, 81, 73, 0.15)', display: 'block' },
  hunk: { color: theme.palette.text.secondary, display: 'block' },
  line: { display: 'block' },
}));

/**
 * The portal's page for one commit of the GitOps repository (`/cellplane/commits/:sha`): what a
 * write committed, for a repository without a web UI of its own (one on the backend's disk).
 *
 * @public
 */
export function CommitPage() {
  const { sha } = useRouteRefParams(commitRouteRef);
  const result = useCommit(sha);
  return (
    <Content>
      {result.state === 'loading' && <Progress aria-label={`Loading commit ${sha}`} />}
      {result.state === 'error' && <CommitError error={result.error} sha={sha} />}
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

function CommitView({ commit }: { commit: CommitDetails }) {
  const classes = useStyles();
  const commitLink = useRouteRef(commitRouteRef);
  const [subject, ...body] = commit.message.split('\n');
  const description = body.join('\n').trim();
  const additions = commit.files.reduce((n, f) => n + (f.additions ?? 0), 0);
  const deletions = commit.files.reduce((n, f) => n + (f.deletions ?? 0), 0);
  return (
    <>
      <Typography variant="h4" component="h1">
        {subject}
      </Typography>
      <Typography variant="subtitle1" color="textSecondary" gutterBottom>
        Commit {shortCommit(commit.commit)} of the GitOps repository
      </Typography>
      <InfoCard title="Commit">
        <dl className={classes.details}>
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
        </dl>
        {description && <pre className={classes.message}>{description}</pre>}
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

const STATUS_LABELS: Record<CommitFileChange['status'], string> = {
  added: 'added',
  modified: 'modified',
  deleted: 'deleted',
  'type-changed': 'type changed',
};

function FileDiff({ file }: { file: CommitFileChange }) {
  const classes = useStyles();
  const binary = file.additions === null;
  let missing: string | undefined;
  if (binary) missing = 'Binary file: not shown.';
  else if (file.patch === undefined) missing = "Not shown: the commit's diff is longer than the portal shows.";
  return (
    <section className={classes.file} aria-label={file.path}>
      <div className={classes.fileHeader}>
        <Typography variant="subtitle2" component="h2">
          <code>{file.path}</code>
        </Typography>
        <Chip size="small" label={STATUS_LABELS[file.status]} />
        {!binary && (
          <Typography variant="caption" color="textSecondary">
            +{file.additions} −{file.deletions}
          </Typography>
        )}
      </div>
      {missing ? (
        <Typography variant="body2" color="textSecondary">
          {missing}
        </Typography>
      ) : (
        <pre className={classes.patch} aria-label={`Diff of ${file.path}`}>
          {file.patch!.replace(/\n$/, '').split('\n').map((line, i) => (
            <span key={i} className={lineClass(classes, line)}>
              {line || ' '}
            </span>
          ))}
        </pre>
      )}
    </section>
  );
}

function lineClass(classes: ReturnType<typeof useStyles>, line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return classes.line;
  if (line.startsWith('+')) return classes.added;
  if (line.startsWith('-')) return classes.removed;
  if (line.startsWith('@@')) return classes.hunk;
  return classes.line;
}
