import { loadConfig } from '@backstage/config-loader';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

/*
 * packages/backend/Dockerfile cannot be built on the project's machines (no container engine).
 * This checks what can be checked without one: what each COPY takes exists where it is taken
 * from (the build context, minus .dockerignore, or what an earlier stage made), the image holds
 * everything the CMD and the production config name, and what the portal needs at run time
 * (git, the example organisation) is there. `yarn start:production` runs the last stage's COPYs
 * and CMD for real, and the browser tests use it.
 */

const ROOT = resolve(__dirname, '../../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Whether a fresh clone has the path (a file or folder Git tracks), not only this working tree. */
function inClone(path: string): boolean {
  try {
    return execFileSync('git', ['ls-files', '--', path || '.'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
  } catch {
    return existsSync(join(ROOT, path)); // not a Git checkout
  }
}

interface Instruction {
  op: string;
  rest: string;
}
interface Stage {
  name?: string;
  from: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, rest] = line.match(/^(\S+)\s*(.*)$/)!;
    const instruction = { op: op.toUpperCase(), rest };
    if (instruction.op === 'FROM') {
      const [from, , name] = rest.split(/\s+/);
      stages.push({ from, name, instructions: [] });
    } else if (stages.length) stages[stages.length - 1].instructions.push(instruction);
    else args.push(instruction);
  }
  return { args, stages };
}

function parseCopy(rest: string) {
  const words = rest.split(/\s+/);
  const flags = Object.fromEntries(words.filter(w => w.startsWith('--')).map(w => w.slice(2).split('=')));
  const paths = words.filter(w => !w.startsWith('--'));
  return { from: flags.from as string | undefined, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
}

/** .dockerignore's patterns as Docker matches them (filepath.Match per segment, ** any depth). */
function ignored(path: string): boolean {
  const patterns = read('.dockerignore')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));
  let result = false;
  for (const pattern of patterns) {
    const negate = pattern.startsWith('!');
    const glob = posix.normalize(negate ? pattern.slice(1) : pattern).replace(/^\/+/, '');
    const regex = new RegExp(
      `^${glob
        .split('/')
        .map(seg => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/')}(/.*)?$`,
    );
    if (regex.test(path)) result = !negate;
  }
  return result;
}

describe('packages/backend/Dockerfile', () => {
  const { args, stages } = parseDockerfile(read('packages/backend/Dockerfile'));
  const final = stages[stages.length - 1];
  const copies = (stage: Stage) => stage.instructions.filter(i => i.op === 'COPY').map(i => parseCopy(i.rest));
  const runs = (stage: Stage) => stage.instructions.filter(i => i.op === 'RUN').map(i => i.rest);
  const cmd: string[] = JSON.parse(final.instructions.filter(i => i.op === 'CMD').pop()!.rest);
  const workdir = final.instructions.filter(i => i.op === 'WORKDIR').pop()!.rest;

  it("is Backstage's multi-stage build: a skeleton stage, a build stage, the image, on Node 22 or 24", () => {
    expect(stages.map(s => s.name)).toEqual(['packages', 'build', undefined]);
    const image = args.find(a => a.op === 'ARG' && a.rest.startsWith('NODE_IMAGE='))!.rest.split('=')[1];
    expect(image).toMatch(/^node:(22|24)[.\w-]*$/);
    const engines = JSON.parse(read('package.json')).engines.node;
    expect(engines).toMatch(new RegExp(`\\b${image.match(/^node:(\d+)/)![1]}\\b`));
    for (const stage of stages) expect(stage.from).toBe('${NODE_IMAGE}');
  });

  it('copies from the build context only what exists there and .dockerignore lets through', () => {
    for (const stage of stages) {
      for (const { from, sources } of copies(stage)) {
        if (from) continue;
        for (const source of sources) {
          const path = source.replace(/\/$/, '');
          expect({ source, inClone: path === '.' || inClone(path) }).toEqual({ source, inClone: true });
          expect({ source, ignored: path !== '.' && ignored(path) }).toEqual({ source, ignored: false });
        }
      }
    }
    // The sources the build stage needs are in the context; what the build makes is not.
    for (const path of ['packages/backend/src/index.ts', 'plugins/cellplane-node/config.d.ts', 'tsconfig.json', 'yarn.lock']) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: false });
    }
    for (const path of ['node_modules/react', 'packages/backend/dist/bundle.tar.gz', 'dist-types/plugins', '.cellplane/gitops.git', 'app-config.production-local.yaml']) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: true });
    }
  });

  it('copies from earlier stages what they made: the skeleton and the bundle of `yarn build:backend`', () => {
    const names = stages.map(s => s.name);
    const build = stages.find(s => s.name === 'build')!;
    for (const [i, stage] of stages.entries()) {
      for (const { from, sources } of copies(stage)) {
        if (!from) continue;
        expect(names.slice(0, i)).toContain(from);
        for (const source of sources) {
          const made = source.match(/^\/app\/packages\/backend\/dist\/(skeleton|bundle)\/$/);
          if (made) {
            expect(runs(build).join('\n')).toContain(`tar xzf packages/backend/dist/${made[1]}.tar.gz -C packages/backend/dist/${made[1]}`);
          } else if (from === 'build') {
            // Files the build stage has from the context.
            expect({ source, inClone: inClone(source.replace(/^\/app\//, '')) }).toEqual({ source, inClone: true });
          }
        }
      }
    }
    // `yarn build:backend` is what writes packages/backend/dist/{skeleton,bundle}.tar.gz.
    expect(runs(build)).toEqual(expect.arrayContaining(['yarn tsc', 'yarn build:backend']));
    expect(JSON.parse(read('package.json')).scripts['build:backend']).toBe('yarn workspace backend build');
    const backend = JSON.parse(read('packages/backend/package.json'));
    expect(backend.scripts.build).toBe('backstage-cli package build');
    expect(backend.backstage.role).toBe('backend');
    expect(backend.dependencies.app).toBe('link:../app'); // the bundle carries the built app
  });

  it('gets Yarn from package.json\'s packageManager through corepack, as the repository commits no .yarn/releases', () => {
    expect(JSON.parse(read('package.json')).packageManager).toMatch(/^yarn@4\./);
    expect(read('.yarnrc.yml')).not.toMatch(/yarnPath/);
    for (const stage of stages.filter(s => runs(s).some(r => /\byarn\b/.test(r)))) {
      expect(runs(stage)).toContain('corepack enable');
    }
    expect(runs(final).join('\n')).toContain('yarn workspaces focus --all --production');
  });

  it("runs the bundle's backend with config files the image holds, and never the local stand-ins", () => {
    expect(cmd.slice(0, 2)).toEqual(['node', 'packages/backend']);
    const configs = cmd.filter((_, i) => cmd[i - 1] === '--config');
    expect(configs).toEqual(['app-config.yaml', 'app-config.production.yaml']);
    const copied = copies(final).filter(c => !c.from).flatMap(c => c.sources);
    for (const config of configs) {
      expect(inClone(config)).toBe(true);
      expect(copied).toContain(config);
    }
    // Guest sign-in outside development must not ship.
    expect(copied.some(s => s.includes('production-local') || s === 'app-config*.yaml')).toBe(false);
    expect(final.instructions).toEqual(expect.arrayContaining([{ op: 'ENV', rest: 'NODE_ENV=production' }]));
  });

  it('holds what the production config reads at run time, relative to its WORKDIR', async () => {
    expect(workdir).toBe('/app');
    const copiedTo = new Map<string, string>(); // path in the image (under /app) -> path in the repository
    for (const { from, sources, destination } of copies(final)) {
      if (from) continue;
      for (const source of sources) {
        copiedTo.set(destination.endsWith('/') || sources.length > 1 ? posix.join(destination, posix.basename(source)) : destination, source);
      }
    }
    const inImage = (path: string) =>
      [...copiedTo.entries()].find(([target]) => posix.normalize(path) === posix.normalize(target) || posix.normalize(path).startsWith(`${posix.normalize(target)}/`));

    const { appConfigs } = await loadConfig({
      configRoot: ROOT,
      configTargets: ['app-config.yaml', 'app-config.production.yaml'].map(f => ({ path: join(ROOT, f) })),
    });
    const locations = appConfigs[appConfigs.length - 1].data.catalog as { locations: Array<{ type: string; target: string }> };
    expect(locations.locations.length).toBeGreaterThan(0);
    for (const { target } of locations.locations.filter(l => l.type === 'file')) {
      const path = posix.normalize(target.replace(/\/\*[^/]*$/, '')); // a glob's folder
      const found = inImage(path);
      expect({ target, inImage: Boolean(found) }).toEqual({ target, inImage: true });
      const inRepository = posix.join(found![1], path.slice(posix.normalize(found![0]).length));
      expect({ target, inRepository, inClone: inClone(inRepository) }).toEqual({ target, inRepository, inClone: true });
    }
    // The seed of the default GitOps repository (cellplane.gitops.seedFrom's default).
    expect(inImage('examples/gitops')).toBeDefined();
    expect(inClone('examples/gitops')).toBe(true);
  });

  it('installs git in the image: Cellplane reads and writes the GitOps repository with the git CLI', () => {
    expect(runs(final).join('\n')).toMatch(/apt-get install[^&]*\bgit\b/);
    expect(runs(final).join('\n')).toMatch(/apt-get install[^&]*\blibsqlite3-dev\b/); // better-sqlite3
  });
});
