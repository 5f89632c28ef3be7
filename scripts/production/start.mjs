// Runs the production build on this machine the way the image runs it, without Docker and
// without network:
//
//   yarn start:production [--build] [--install] [--dir DIR] [--keep] [--config FILE]...
//
// 1. The build: packages/backend/dist/skeleton.tar.gz and bundle.tar.gz, from `yarn tsc` then
//    `yarn build:all` (or `yarn build:backend`). Missing: it says so and stops. Older than a
//    source file: it says so and runs it anyway. --build builds first when either is the case.
// 2. A folder that plays the image's /app (a new one in the system's temporary folder, or
//    --dir): yarn.lock, package.json, .yarnrc.yml, backstage.json, the skeleton, its production
//    dependencies, the bundle, then what packages/backend/Dockerfile's last stage COPYs from the
//    repository (examples/, templates/, catalog-info.yaml, the app-config files).
//    The dependencies come from the repository's own installation, hard-linked in seconds
//    (see dependencies.mjs), or with --install from `yarn workspaces focus --all --production`,
//    offline from Yarn's cache, exactly as the image does (a few minutes: it builds better-sqlite3).
// 3. The Dockerfile's CMD in that folder (`node packages/backend --config app-config.yaml
//    --config app-config.production.yaml`) with its ENV (NODE_ENV=production, ...), plus
//    app-config.production-local.yaml (SQLite in memory, guest sign-in) unless --config names
//    the files instead. It waits for /.backstage/health/v1/readiness, says where the portal is,
//    and runs until stopped (Ctrl-C, SIGTERM); then the folder is removed unless --keep.
//
// The folder is never inside the repository (Node would find the repository's node_modules
// above it), and nothing is written into the repository: with no cellplane.gitops.url, the
// portal's GitOps repository is the folder's own .cellplane/gitops.git, seeded from examples/.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { productionInstall, skeletonWorkspaces } from './dependencies.mjs';
import { runtimeStage } from './dockerfile.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'packages/backend/dist');
const SKELETON = join(DIST, 'skeleton.tar.gz');
const BUNDLE = join(DIST, 'bundle.tar.gz');
const LOCAL_CONFIG = 'app-config.production-local.yaml';
const MARKER = '.cellplane-production';
const READY_TIMEOUT_MS = 5 * 60_000;

const started = Date.now();
const elapsed = (since = started) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const say = line => process.stdout.write(`[production] ${line}\n`);
function fail(message) {
  process.stderr.write(`\n[production] error: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { build: false, install: false, keep: false, dir: undefined, configs: [] };
  const from = process.env.INIT_CWD ?? process.cwd(); // yarn runs scripts from the root
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--build') options.build = true;
    else if (arg === '--install') options.install = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--dir') options.dir = resolve(from, value());
    else if (arg === '--config') options.configs.push(resolve(from, value()));
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0].replace(/^\/\/ ?/gm, '')}\n`);
      process.exit(0);
    } else fail(`unknown option ${arg} (see yarn start:production --help)`);
  }
  return options;
}

/** Runs a command in the foreground, its output shown; returns whether it succeeded. */
function run(command, args, options = {}) {
  const t = Date.now();
  say(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  say(`${command} ${args[0]}: ${result.status === 0 ? 'done' : `failed (exit ${result.status ?? result.signal})`} in ${elapsed(t)}`);
  return result.status === 0;
}

/** The newest file the build is made from (sources, package manifests, the app's build config). */
function newestSource() {
  let newest = { file: undefined, mtime: 0 };
  const consider = file => {
    const mtime = statSync(file).mtimeMs;
    if (mtime > newest.mtime) newest = { file, mtime };
  };
  const walk = dir => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) consider(path);
    }
  };
  for (const parent of ['packages', 'plugins']) {
    for (const name of readdirSync(join(ROOT, parent))) {
      const dir = join(ROOT, parent, name);
      for (const file of ['package.json', 'config.d.ts']) if (existsSync(join(dir, file))) consider(join(dir, file));
      for (const sub of ['src', 'public']) if (existsSync(join(dir, sub))) walk(join(dir, sub));
    }
  }
  for (const file of ['yarn.lock', 'package.json', 'app-config.yaml']) consider(join(ROOT, file));
  return newest;
}

function buildState() {
  if (!existsSync(SKELETON) || !existsSync(BUNDLE)) return { missing: true };
  const built = Math.min(statSync(SKELETON).mtimeMs, statSync(BUNDLE).mtimeMs);
  const newest = newestSource();
  return newest.mtime > built ? { stale: relative(ROOT, newest.file) } : {};
}

function build() {
  say('Building: `yarn tsc` (the type declarations the package builds read), then `yarn build:all` (every package, the app, the backend bundle); 1-3 minutes');
  if (!run('yarn', ['tsc'])) say('yarn tsc reported type errors (see above); building with the declarations it wrote');
  if (!run('yarn', ['build:all'])) fail('`yarn build:all` failed (its output is above); fix that and run again');
}

/** A fresh folder to play /app: a new temporary one, or --dir (emptied if an earlier run made it). */
function prepareFolder(dir) {
  if (!dir) return mkdtempSync(join(tmpdir(), 'cellplane-production-'));
  const inside = relative(ROOT, dir);
  if (!inside.startsWith('..') && !isAbsolute(inside)) {
    fail(`--dir ${dir} is inside the repository; Node would resolve modules from the repository's node_modules above it. Choose a folder outside ${ROOT}.`);
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) fail(`--dir ${dir} is not empty and no earlier \`yarn start:production\` made it; choose an empty or new folder`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function extract(tarball, dir) {
  const result = spawnSync('tar', ['xzf', tarball, '-C', dir], { stdio: 'inherit' });
  if (result.status !== 0) fail(`could not extract ${relative(ROOT, tarball)} (tar exit ${result.status}); rebuild with \`yarn build:all\``);
}

function installDependencies(dir, install) {
  const t = Date.now();
  if (install) {
    say('Installing production dependencies: `yarn workspaces focus --all --production`, offline from Yarn\'s cache (a few minutes: better-sqlite3 builds from source)');
    const ok = run('yarn', ['workspaces', 'focus', '--all', '--production'], {
      cwd: dir,
      env: { ...process.env, NODE_ENV: 'production', YARN_ENABLE_NETWORK: '0', YARN_ENABLE_IMMUTABLE_INSTALLS: '0', YARN_ENABLE_GLOBAL_CACHE: 'true' },
    });
    if (!ok) fail('`yarn workspaces focus --all --production` failed offline. A package missing from Yarn\'s cache needs `yarn install` in the repository first (or run without --install, which links the installed packages)');
    return;
  }
  say('Linking production dependencies from the repository\'s node_modules (hard links)');
  const result = productionInstall(ROOT, dir, skeletonWorkspaces(dir), line => say(`  ${line}`));
  if (result.missing.length) {
    fail(`production dependencies not installed in this repository: ${result.missing.join(', ')}. Run \`yarn install\` (or ./cellplane start, which does).`);
  }
  say(`${result.packages} packages (${result.files} files${result.copied ? ', copied: another file system' : ''}) in ${elapsed(t)}`);
}

/** Lays out the folder as the Dockerfile's last stage does. */
function layOut(dir, options, stage) {
  const t = Date.now();
  writeFileSync(join(dir, MARKER), 'made by scripts/production/start.mjs; removed when it stops\n');
  for (const file of ['.yarnrc.yml', 'backstage.json', 'yarn.lock', 'package.json']) cpSync(join(ROOT, file), join(dir, file));
  extract(SKELETON, dir);
  installDependencies(dir, options.install);
  extract(BUNDLE, dir);
  for (const { sources, destination } of stage.copies) {
    for (const source of sources) {
      if (!existsSync(join(ROOT, source))) fail(`packages/backend/Dockerfile copies ${source}, which does not exist in the repository`);
      const target = destination.endsWith('/') || sources.length > 1 ? join(dir, destination, source.split('/').at(-1)) : join(dir, destination);
      cpSync(join(ROOT, source), target, { recursive: true });
    }
  }
  cpSync(join(ROOT, LOCAL_CONFIG), join(dir, LOCAL_CONFIG));
  say(`Laid out ${dir} in ${elapsed(t)}`);
}

/** The effective config the backend will read: where it listens, what it calls itself. */
async function readConfig(dir, configArgs, env) {
  const require = createRequire(join(ROOT, 'package.json'));
  const { ConfigSources } = require('@backstage/config-loader');
  const argv = configArgs.map(arg => (arg === '--config' ? arg : resolve(dir, arg)));
  const source = ConfigSources.default({ argv, rootDir: dir, env, watch: false });
  const config = await ConfigSources.toConfig(source);
  const listen = config.getOptional('backend.listen');
  const port = typeof listen === 'object' ? listen.port : typeof listen === 'string' ? listen.split(':').at(-1) : undefined;
  return {
    port: Number(port ?? 7007),
    appUrl: config.getOptionalString('app.baseUrl') ?? config.getString('backend.baseUrl'),
    gitops: config.getOptionalString('cellplane.gitops.url'),
  };
}

async function waitUntilReady(url, child) {
  const t = Date.now();
  let lastNote = Date.now();
  while (Date.now() - t < READY_TIMEOUT_MS) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    if (Date.now() - lastNote > 15_000) {
      say(`waiting for ${url} (${elapsed(t)})`);
      lastNote = Date.now();
    }
    await new Promise(r => setTimeout(r, 250));
  }
  return false;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));

  const state = buildState();
  if (options.build && (state.missing || state.stale)) {
    if (state.stale) say(`The build is older than ${state.stale}: rebuilding`);
    build();
  } else if (state.missing) {
    fail('there is no production build (packages/backend/dist/skeleton.tar.gz, bundle.tar.gz). Run `yarn tsc && yarn build:all` first, or `yarn start:production --build`.');
  } else if (state.stale) {
    say(`Warning: the build is older than ${state.stale}; this runs the older code. \`yarn start:production --build\` rebuilds first.`);
  }

  const stage = runtimeStage(ROOT);
  if (!stage.command) fail('packages/backend/Dockerfile has no CMD in its last stage');
  const dir = prepareFolder(options.dir);
  let child;
  let stopping = false;
  const cleanUp = () => {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  };
  // Backstage stops on SIGTERM, but its HTTP server waits for the events bus's long polls (up to
  // a minute): after 15 s, or a second Ctrl-C, the backend is killed.
  const stop = signal => {
    if (stopping) {
      child?.kill('SIGKILL');
      return;
    }
    stopping = true;
    if (child && child.exitCode === null) {
      say(`Stopping the backend (${signal}; it is killed in 15 s, or at once on a second Ctrl-C)`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    } else {
      cleanUp();
      process.exit(1);
    }
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  say(`The image's /app: ${dir}${options.keep ? ' (kept)' : ' (removed when this stops; --keep keeps it)'}`);
  layOut(dir, options, stage);

  // The Dockerfile's CMD, with the local stand-ins unless --config names the files.
  const [node, entry, ...cmdArgs] = stage.command;
  const configArgs = options.configs.length ? options.configs.flatMap(f => ['--config', f]) : [...cmdArgs, '--config', LOCAL_CONFIG];
  const env = { ...process.env, ...stage.env };
  const { port, appUrl, gitops } = await readConfig(dir, configArgs, env);
  say(`GitOps repository: ${gitops ?? `${join(dir, '.cellplane/gitops.git')} (seeded from examples/gitops)`}`);
  say(`$ ${node} ${entry} ${configArgs.join(' ')}   (in ${dir}; ${Object.entries(stage.env).map(([k, v]) => `${k}=${v}`).join(' ')})`);
  const t = Date.now();
  child = spawn(node === 'node' ? process.execPath : node, [entry, ...configArgs], { cwd: dir, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    cleanUp();
    if (!stopping) {
      process.stderr.write(
        `\n[production] error: the backend exited (${signal ?? `code ${code}`}); its log is above. ` +
          `An "Invalid app bundle schema" means the config does not match the built app's config schema ` +
          `(yarn backstage-cli config:check --config ...); a module that cannot be found is a production dependency missing from a package.json.\n`,
      );
      process.exit(code || 1);
    }
    process.exit(0);
  });

  const readiness = `http://localhost:${port}/.backstage/health/v1/readiness`;
  if (await waitUntilReady(readiness, child)) {
    say(`Ready in ${elapsed(t)} (${elapsed()} in all): the portal at ${appUrl}, served by the production backend. Ctrl-C stops it.`);
  } else if (child.exitCode === null && !stopping) {
    say(`The backend did not answer ${readiness} within ${READY_TIMEOUT_MS / 60_000} minutes; stopping it`);
    stop('timeout');
  }
}

main().catch(error => fail(error.stack ?? String(error)));
