import {
  explainInvalidEnvVarName,
  explainInvalidGitBranch,
  explainInvalidOwnerRef,
  explainInvalidUrlPath,
} from './names';

describe('Git branch names', () => {
  it.each(['main', 'release/1.x', 'feature/JIRA-12_a.b', 'cellplane/3f2a'])('accepts %s', value => {
    expect(explainInvalidGitBranch(value)).toBeUndefined();
  });

  it.each([
    ['--upload-pack=evil', /must not start with '-'/],
    ['-b', /must not start with '-'/],
    ['../../main', /no '\.\.'/],
    ['a b', /no spaces/],
    ['a\nb', /control characters/],
    ['a:b', /~ \^ : \? \* \[/],
    ['a~1', /~ \^ : \? \* \[/],
    ['a@{1}', /no '@\{'/],
    ['@', /not '@' alone/],
    ['/main', /empty path component/],
    ['main/', /empty path component/],
    ['a//b', /empty path component/],
    ['main.', /must not end with '\.'/],
    ['feature/.hidden', /start with '\.'/],
    ['main.lock', /end with '\.lock'/],
    ['x'.repeat(256), /at most 255 characters, got 256/],
    ['', /must not be empty/],
    [7, /must be a string/],
  ])('refuses %j', (value, message) => {
    expect(explainInvalidGitBranch(value)).toMatch(message);
  });
});

describe('owner references', () => {
  it.each(['group:default/team-a', 'user:ada', 'group:acme/Platform_Team.1', 'Group:default/x'])('accepts %s', value => {
    expect(explainInvalidOwnerRef(value)).toBeUndefined();
  });

  it.each([
    ['a 300-character name', `group:default/${'a'.repeat(300)}`, /at most 63/],
    ['no kind', 'team-a', /'<kind>:\[<namespace>\/\]<name>'/],
    ['another kind', 'component:default/x', /kind must be group or user/],
    ['a bad namespace', 'group:Default/x', /the namespace must be an RFC 1123 label/],
    ['a name ending in -', 'group:default/team-', /starting and ending with a letter or digit/],
    ['a newline', 'group:default/a\nb', /starting and ending/],
    ['too many parts', 'group:a/b/c', /'<kind>:/],
  ])('refuses %s', (_what, value, message) => {
    expect(explainInvalidOwnerRef(value)).toMatch(message);
  });
});

describe('URL paths', () => {
  it.each(['/', '/api/v1', '/a-b_c.d/~x/%20'])('accepts %s', value => {
    expect(explainInvalidUrlPath(value)).toBeUndefined();
  });

  it.each([
    ['/api\n', /no whitespace, control characters/],
    ['/a b', /no whitespace/],
    ['api', /must start with '\/'/],
    ['/a?b=1', /'\?' or '#'/],
    ['/a/../b', /without '\.' or '\.\.' segments/],
    [`/${'a'.repeat(1024)}`, /at most 1024 characters, got 1025/],
  ])('refuses %j', (value, message) => {
    expect(explainInvalidUrlPath(value)).toMatch(message);
  });
});

describe('environment variable names', () => {
  it.each(['PORT', 'log.level', '_X', 'A-B'])('accepts %s', value => {
    expect(explainInvalidEnvVarName(value)).toBeUndefined();
  });
  it.each(['1X', 'A=B', 'A B', '', 'A\n'])('refuses %j', value => {
    expect(explainInvalidEnvVarName(value)).toBeDefined();
  });
});
