import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { commitRouteRef } from '../../routes';
import { shortCommit } from '../common/revisions';

/** A commit, linking to its trace and diff on the commit page (`/cellplane/commits/:sha`). */
export function CommitLink(props: { commit: string }) {
  const commitLink = useRouteRef(commitRouteRef);
  const to = commitLink ? commitLink({ sha: props.commit }) : `/cellplane/commits/${props.commit}`;
  return <Link to={to}>{shortCommit(props.commit)}</Link>;
}
