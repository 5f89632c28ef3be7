import { classifyCommit } from './classifyCommit';

const one = ['a'.repeat(40)];
const classify = (message: string, parents = one, isOldest = false) => classifyCommit({ message, parents }, isOldest);

describe('classifyCommit', () => {
  it.each([
    ['Create component acme/web in project shop', 'create'],
    ['Create project acme/shop', 'create'],
    ['Promote acme/web from development to staging (web-0123456789)', 'promotion'],
    ['Roll back acme/web in production to web-0123456789', 'rollback'],
    ['Revert "Promote acme/web from staging to production (web-01)"', 'rollback'],
    ['Add endpoint http to component acme/web', 'edit'],
    ['Merge pull request #7 from acme/cellplane/task-1', 'pull-request-merge'],
    ["Merge branch 'cellplane/task-1' into 'main'", 'pull-request-merge'],
  ])('%s: %s', (message, kind) => {
    expect(classify(message).kind).toBe(kind);
  });

  it('calls a commit with two parents a pull request merge, and names the pull request of a merge or a squash', () => {
    expect(classify('Merge commit', ['a'.repeat(40), 'b'.repeat(40)]).kind).toBe('pull-request-merge');
    expect(classify('Merge pull request #7 from acme/branch').pullRequest).toEqual({ number: 7 });
    expect(classify("Merge branch 'x' into 'main'\n\nSee merge request acme/gitops!42").pullRequest).toEqual({ number: 42 });
    // A squashed promotion keeps its kind and says which pull request it came through.
    expect(classify('Promote acme/web from staging to production (web-01) (#9)')).toMatchObject({ kind: 'promotion', pullRequest: { number: 9 } });
  });

  it('reads the environment and the requester from the write path’s wording', () => {
    expect(classify('Promote acme/web from development to staging (web-01)\n\nRequested by user:default/ada through the Cellplane scaffolder.')).toEqual({
      kind: 'promotion',
      requestedBy: 'user:default/ada',
      environments: ['staging'],
    });
    expect(classify('Roll back acme/web in production to web-01').environments).toEqual(['production']);
    expect(classify('Override acme/web in staging').environments).toEqual(['staging']);
    expect(classify('Tune\n\nRequested by an unknown user through the Cellplane scaffolder.').requestedBy).toBeUndefined();
  });

  it('calls the oldest commit of an entity its creation, whatever it says', () => {
    expect(classify('Seed the GitOps repository', one, true).kind).toBe('create');
    expect(classify('Promote acme/web from a to b (web-01)', one, true).kind).toBe('promotion');
  });
});
