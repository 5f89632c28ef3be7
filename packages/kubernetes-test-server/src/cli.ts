/* eslint-disable no-console */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { KubernetesTestServer } from './KubernetesTestServer';

const usage = `Usage: kubernetes-test-server [options]

Runs the Kubernetes API test server until interrupted.

Options:
  --port <n>                 port (default 6443; 0 = any free port)
  --host <host>              host (default 127.0.0.1)
  --token <token>            admin bearer token (default: random, printed)
  --kubeconfig <file>        write a kubeconfig for the server to this file
  --tls                      serve HTTPS with a generated self-signed certificate
                             (kubectl sends bearer tokens over HTTPS only)
  --anonymous                accept requests without a token (as cluster-admin)
  --seed <file|dir>          store the objects of these YAML files at start (repeatable)
  --bookmark-interval-ms <n> BOOKMARK period of watches (default 1000)
  --history-limit <n>        watch events kept per resource (default 10000)
  --help                     this text`;

function seedFiles(path: string): string[] {
  const full = resolve(path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter(f => /\.ya?ml$/.test(f))
    .sort()
    .map(f => join(full, f));
}

function positiveInteger(
  name: string,
  value: string | undefined,
  fallback: number,
) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  }
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      kubeconfig: { type: 'string' },
      tls: { type: 'boolean' },
      anonymous: { type: 'boolean' },
      seed: { type: 'string', multiple: true },
      'bookmark-interval-ms': { type: 'string' },
      'history-limit': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const server = await KubernetesTestServer.start({
    port: positiveInteger('port', values.port, 6443),
    host: values.host,
    adminToken: values.token,
    tls: values.tls ? 'self-signed' : undefined,
    allowAnonymous: values.anonymous,
    bookmarkIntervalMs: positiveInteger(
      'bookmark-interval-ms',
      values['bookmark-interval-ms'],
      1000,
    ),
    historyLimit: positiveInteger(
      'history-limit',
      values['history-limit'],
      10_000,
    ),
  });
  let seeded = 0;
  for (const file of (values.seed ?? []).flatMap(seedFiles)) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const object = doc.toJS();
      if (!object) continue;
      try {
        server.objects.put(object);
        seeded++;
      } catch (e) {
        console.error(`${file}: ${(e as Error).message}`);
      }
    }
  }
  const kubeConfig = server.kubeConfig().exportConfig();
  if (values.kubeconfig)
    writeFileSync(values.kubeconfig, kubeConfig, { mode: 0o600 });
  console.log(`Kubernetes API test server listening on ${server.url}`);
  console.log(`admin token: ${server.adminToken}`);
  if (seeded) console.log(`seeded ${seeded} objects`);
  console.log(
    values.kubeconfig
      ? `kubeconfig written to ${values.kubeconfig}: KUBECONFIG=${values.kubeconfig} kubectl get ns`
      : `curl -H "Authorization: Bearer ${server.adminToken}" ${server.url}/api/v1/namespaces`,
  );
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(e => {
  console.error((e as Error).message);
  process.exit(1);
});
