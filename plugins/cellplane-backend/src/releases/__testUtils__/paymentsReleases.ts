import { RepositoryRevision, buildComponentRelease, resourceToYaml } from '@cellplane/backstage-plugin-node';
import { author } from '@cellplane/backstage-plugin-node/testUtils';
import request from 'supertest';
import { CellplaneTestBackend, callers, startCellplaneBackend } from '../../__testUtils__/startCellplaneBackend';

const COMPONENT_DIR = 'namespaces/acme/projects/payments/components/payments-api';
const bindingPath = (environment: string) => `${COMPONENT_DIR}/release-bindings/payments-api-${environment}.yaml`;

/** The binding file of `environment` at `base`, with its releaseName and state lines set as given (undefined: none). */
async function bindingWith(base: RepositoryRevision, environment: string, set: { releaseName?: string; state?: string }) {
  const text = (await base.readFile(bindingPath(environment)))!.toString().replace(/^ {2}(releaseName|state): .*\n/gm, '');
  const extra = `${set.releaseName ? `  releaseName: ${set.releaseName}\n` : ''}${set.state ? `  state: ${set.state}\n` : ''}`;
  return { path: bindingPath(environment), content: text.replace(`environment: ${environment}\n`, `environment: ${environment}\n${extra}`) };
}

/** The test backend on the example repository after payments-api's history below, and how to call it. */
export interface PaymentsReleases {
  backend: CellplaneTestBackend;
  /** Commit ids by message. */
  commits: Record<string, string>;
  /** Release 1 (image 1.4.2) and release 2 (image 1.5.0). */
  r1: string;
  r2: string;
  get(path: string, caller?: keyof typeof callers): request.Test;
}

/**
 * Starts a backend, then writes: release 1 (image 1.4.2) to staging; image 1.5.0; release 2 to
 * staging; release 1 to production; staging undeployed.
 */
export async function startWithPaymentsReleases(): Promise<PaymentsReleases> {
  const backend = await startCellplaneBackend();
  const { repository } = backend.fixture;
  const commits: Record<string, string> = {};
  const commit = async (name: string, changes: (base: RepositoryRevision) => Promise<Array<{ path: string; content: string }>>) => {
    commits[name] = (await repository.commit({ message: name, author, changes }))!.commit!;
  };
  const release = async (base: RepositoryRevision) => {
    const built = buildComponentRelease(await base.model(), 'acme', 'payments-api');
    return { name: built.name, file: { path: built.path, content: resourceToYaml(built.resource) } };
  };
  let r1 = '';
  let r2 = '';
  await commit('release 1 to staging', async base => {
    const { name, file } = await release(base);
    r1 = name;
    return [file, await bindingWith(base, 'staging', { releaseName: r1 })];
  });
  await commit('payments-api 1.5.0', async base => {
    const workload = (await base.readFile(`${COMPONENT_DIR}/workload.yaml`))!.toString();
    return [{ path: `${COMPONENT_DIR}/workload.yaml`, content: workload.replace('payments-api:1.4.2', 'payments-api:1.5.0') }];
  });
  await commit('release 2 to staging', async base => {
    const { name, file } = await release(base);
    r2 = name;
    return [file, await bindingWith(base, 'staging', { releaseName: r2 })];
  });
  await commit('release 1 to production', async base => [await bindingWith(base, 'production', { releaseName: r1 })]);
  await commit('undeploy staging', async base => [await bindingWith(base, 'staging', { releaseName: r2, state: 'Undeploy' })]);
  const get = (path: string, caller: keyof typeof callers = 'user') => {
    const call = request(backend.server).get(`/api/cellplane${path}`);
    return callers[caller] ? call.set('authorization', callers[caller]!) : call;
  };
  return { backend, commits, r1, r2, get };
}
