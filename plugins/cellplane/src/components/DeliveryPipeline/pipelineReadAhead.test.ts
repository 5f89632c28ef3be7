import { mockApis } from '@backstage/frontend-test-utils';
import { waitFor } from '@testing-library/react';
import { readPipelineAhead, takePipelineReadAhead } from './pipelineReadAhead';

const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend.test' });

function pipelineRoute() {
  const requests: string[] = [];
  const fetchApi = mockApis.fetch({
    baseImplementation: async (input: any) => {
      requests.push(String(input));
      return new Response(JSON.stringify({ component: 'web-shop', read: requests.length }), { status: 200 });
    },
  });
  return { requests, fetchApi };
}

describe('reading the pipeline ahead of the card being shown', () => {
  it('reads once however often the card renders, and hands the read to the card once', async () => {
    const { requests, fetchApi } = pipelineRoute();
    readPipelineAhead({ discoveryApi, fetchApi }, 'acme', 'web-shop', 1_000);
    readPipelineAhead({ discoveryApi, fetchApi }, 'acme', 'web-shop', 1_100);
    const read = takePipelineReadAhead(fetchApi, 'acme', 'web-shop', 1_200)!;
    await expect(read.pipeline).resolves.toEqual({ component: 'web-shop', read: 1 });
    // Once answered, the answer is at hand without waiting for the promise.
    expect(read.answer).toEqual({ component: 'web-shop', read: 1 });
    expect(requests).toEqual(['http://backend.test/api/cellplane/pipeline/acme/web-shop']);
    // Taken: a card shown later reads for itself.
    expect(takePipelineReadAhead(fetchApi, 'acme', 'web-shop', 1_300)).toBeUndefined();
  });

  it('forgets a read nobody took in time, so a later card does not show old data', async () => {
    const { requests, fetchApi } = pipelineRoute();
    readPipelineAhead({ discoveryApi, fetchApi }, 'acme', 'web-shop', 1_000);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(takePipelineReadAhead(fetchApi, 'acme', 'web-shop', 6_000)).toBeUndefined();
    readPipelineAhead({ discoveryApi, fetchApi }, 'acme', 'web-shop', 7_000);
    await waitFor(() => expect(requests).toHaveLength(2));
  });

  it('keeps components and apps apart', async () => {
    const first = pipelineRoute();
    const second = pipelineRoute();
    readPipelineAhead({ discoveryApi, fetchApi: first.fetchApi }, 'acme', 'web-shop', 1_000);
    expect(takePipelineReadAhead(second.fetchApi, 'acme', 'web-shop', 1_000)).toBeUndefined();
    expect(takePipelineReadAhead(first.fetchApi, 'acme', 'cart-api', 1_000)).toBeUndefined();
    expect(takePipelineReadAhead(first.fetchApi, 'acme', 'web-shop', 1_000)).toBeDefined();
  });

  it('leaves a failed read to whoever takes it, and no unhandled rejection when nobody does', async () => {
    const fetchApi = mockApis.fetch({ baseImplementation: async () => new Response('{"error":{"message":"no"}}', { status: 404 }) });
    readPipelineAhead({ discoveryApi, fetchApi }, 'acme', 'gone', 1_000);
    await expect(takePipelineReadAhead(fetchApi, 'acme', 'gone', 1_000)?.pipeline).rejects.toThrow();
    readPipelineAhead({ discoveryApi, fetchApi }, 'acme', 'gone', 10_000);
  });
});
