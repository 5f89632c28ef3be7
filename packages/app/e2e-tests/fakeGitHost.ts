/*
 * A local stand-in of GitHub's REST API for the pull-request portal of the browser tests
 * (playwright.config.ts starts it with `node --import tsx`): the repository acme/gitops as
 * cellplane-node's fake serves it (refs, commits, trees, blobs, pull requests: what the write path
 * opens a promotion pull request with and what the pipeline lists open ones with), on the fixed
 * port CELLPLANE_E2E_GIT_HOST_PORT of 127.0.0.1. It runs until Playwright stops it.
 *
 * GitHub requests reviewers on a new pull request from the repository's CODEOWNERS; the stand-in
 * does the same for a CODEOWNERS of `* @acme/team-platform`, so a promotion shows who is asked.
 */
import { createServer, IncomingMessage } from 'node:http';
// The same fake GitHub as the write path's and the pipeline's own tests (a devDependency: this
// script runs only beside the browser tests, never in the app's bundle).
import { answerGithub, fakeGithubState, FakeRequest } from '@cellplane/backstage-plugin-node/testUtils';

const port = Number(process.env.CELLPLANE_E2E_GIT_HOST_PORT ?? '7190');
/** The team GitHub would ask to review, as CODEOWNERS names it (`@acme/team-platform`). */
const CODE_OWNERS = [{ slug: 'team-platform' }];

const github = fakeGithubState('acme', 'gitops');

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (url.pathname === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const request: FakeRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    body: await readJson(req),
    authorization: req.headers.authorization,
  };
  const opened = github.pulls.length;
  const answer = answerGithub(github, request) ?? { status: 404, body: { message: 'Not Found' } };
  for (const pull of github.pulls.slice(opened)) pull.requested_teams = [...CODE_OWNERS];
  const body = github.pulls.length > opened && answer.status === 201 ? github.pulls[github.pulls.length - 1] : answer.body;
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`[fake GitHub] acme/gitops's API at http://127.0.0.1:${port}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
