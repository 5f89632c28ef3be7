import { ApiException, V1Deployment } from '@kubernetes/client-node';

/** A minimal valid Deployment. */
export function deployment(
  name: string,
  labels: Record<string, string> = {},
  replicas = 1,
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'app', image: `registry.example/${name}:1` }],
        },
      },
    },
  };
}

/** The Status object of a failed client-node call, checked to be a Status. */
export async function statusOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (e) {
    if (e instanceof ApiException) {
      const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      expect(body.kind).toBe('Status');
      expect(body.code).toBe(e.code);
      return body as {
        code: number;
        reason: string;
        message: string;
        details?: any;
      };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** Wait until `check` passes (polls every 10 ms, up to `timeoutMs`). */
export async function eventually(check: () => void, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
}
