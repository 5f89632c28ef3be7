import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ComponentEvent, LogPod } from '@cellplane/backstage-plugin-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi, status } from '../../testing/fakes';
import { cellplaneLogsApiRef } from './logsApi';
import { FakeLogsApi } from './__testUtils__/FakeLogsApi';
import { LogsView } from './LogsView';
import { MAX_LINES } from './useLogStream';

const pod = (name: string, extra: Partial<LogPod> = {}): LogPod => ({
  name,
  namespace: 'acme-storefront-development',
  phase: 'Running',
  ready: true,
  containers: [{ name: 'main', ready: true, restartCount: 0, state: 'running', hasPrevious: false }],
  ...extra,
});

const statuses = ['development', 'staging', 'production'].map(environment => status({ component: 'cart-api', environment }));
const event = (id: string, reason: string, lastSeen: string): ComponentEvent => ({
  id,
  type: 'Warning',
  reason,
  message: `${reason} of main`,
  object: { kind: 'Pod', name: 'cart-api-1' },
  count: 1,
  lastSeen,
});

function renderLogs(logsApi: FakeLogsApi, statusApi = new FakeStatusApi(statuses)) {
  return renderInTestApp(<LogsView namespace="acme" component="cart-api" />, {
    apis: [
      [cellplaneStatusApiRef, statusApi],
      [cellplaneLogsApiRef, logsApi],
    ],
  });
}

describe('LogsView', () => {
  it('follows the logs of the first environment: lines appear as the stream sends them, searchable, with events newest first', async () => {
    const logsApi = new FakeLogsApi({ development: [pod('cart-api-1'), pod('cart-api-2')] });
    await renderLogs(logsApi);
    const stream = await logsApi.open();
    expect(stream.target).toEqual({ namespace: 'acme', component: 'cart-api', environment: 'development' });
    expect(stream.query).toEqual({ follow: true, previous: false, tailLines: 500 });
    act(() => {
      stream.handlers.onReady({ dataPlane: 'sandbox', follow: true, pods: [{ pod: 'cart-api-1', container: 'main' }, { pod: 'cart-api-2', container: 'main' }] });
      stream.handlers.onLines({ pod: 'cart-api-1', container: 'main', lines: [{ text: 'GET /cart 200', time: '2026-12-07T07:00:00.000000000Z' }] });
      stream.handlers.onEvent(event('e1', 'BackOff', '2026-12-07T07:00:00Z'));
    });
    expect(await screen.findByText('GET /cart 200')).toBeInTheDocument();
    expect(screen.getByText('● Following: new lines show as they are written')).toBeInTheDocument();
    // The time of day of each line, to the millisecond (in the browser's time zone).
    expect(screen.getByTestId('log-line').textContent).toMatch(/^\d\d:\d\d:\d\d\.000/);
    act(() => {
      stream.handlers.onLines({ pod: 'cart-api-2', container: 'main', lines: [{ text: 'POST /cart/items 500' }] });
      stream.handlers.onEvent(event('e2', 'Unhealthy', '2026-12-07T07:01:00Z'));
    });
    const lines = screen.getByRole('list', { name: 'Log lines' });
    expect(within(lines).getAllByTestId('log-line').map(l => l.textContent)).toEqual([
      expect.stringMatching(/cart-api-1GET \/cart 200$/),
      expect.stringMatching(/cart-api-2POST \/cart\/items 500$/),
    ]);
    const events = screen.getByRole('list', { name: 'Events of cart-api in development' });
    expect(within(events).getAllByTestId('kube-event').map(e => e.textContent)).toEqual([
      expect.stringContaining('Unhealthy'),
      expect.stringContaining('BackOff'),
    ]);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'items');
    expect(within(lines).getAllByTestId('log-line')).toHaveLength(1);
    expect(within(lines).getByText('items', { selector: 'mark' })).toBeInTheDocument();
    expect(screen.getByText('1 of 2 lines match "items"')).toBeInTheDocument();
  });

  it('follows the new pods when a rollout replaces them', async () => {
    const logsApi = new FakeLogsApi({ development: [pod('cart-api-1')] });
    const statusApi = new FakeStatusApi(statuses);
    await renderLogs(logsApi, statusApi);
    await logsApi.open();
    logsApi.pods = { development: [pod('cart-api-2')] };
    act(() => statusApi.emit(status({ component: 'cart-api', environment: 'development', health: 'Progressing' })));
    await waitFor(() => expect(logsApi.streams).toHaveLength(2));
    expect(logsApi.streams[0].closed).toBe(true);
    await userEvent.click(screen.getByRole('combobox', { name: 'Pod' }));
    expect(await screen.findByRole('option', { name: /cart-api-2/ })).toBeInTheDocument();
  });

  it('keeps the last lines only, and says so', async () => {
    const logsApi = new FakeLogsApi({ development: [pod('cart-api-1')] });
    await renderLogs(logsApi);
    const stream = await logsApi.open();
    act(() => {
      stream.handlers.onReady({ dataPlane: 'sandbox', follow: true, pods: [{ pod: 'cart-api-1', container: 'main' }] });
      stream.handlers.onLines({ pod: 'cart-api-1', container: 'main', lines: Array.from({ length: MAX_LINES + 100 }, (_, i) => ({ text: `line ${i}` })) });
    });
    expect(await screen.findByText(/showing the last 2,000 lines \(100 older lines dropped\)/)).toBeInTheDocument();
    expect(screen.queryByText('line 99')).not.toBeInTheDocument();
    expect(screen.getByText('line 100')).toBeInTheDocument();
  });

  it('reads another environment, pod and range when the developer picks them, with the keyboard', async () => {
    const logsApi = new FakeLogsApi({ development: [pod('cart-api-1')], staging: [pod('cart-api-9')] });
    await renderLogs(logsApi);
    await logsApi.open();
    await userEvent.click(screen.getByRole('button', { name: 'staging' }));
    await waitFor(() => expect(logsApi.streams.filter(s => !s.closed).map(s => s.target.environment)).toEqual(['staging']));
    await userEvent.click(screen.getByRole('combobox', { name: 'Pod' }));
    await userEvent.click(await screen.findByRole('option', { name: /cart-api-9/ }));
    await userEvent.click(screen.getByRole('combobox', { name: 'Show' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Last hour' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Follow' }));
    const stream = await logsApi.open();
    expect(stream.query).toEqual({ pod: 'cart-api-9', follow: false, previous: false, sinceSeconds: 3600 });
    act(() => {
      stream.handlers.onReady({ dataPlane: 'sandbox', follow: false, pods: [{ pod: 'cart-api-9', container: 'main' }] });
      stream.handlers.onEnd({ pod: 'cart-api-9', container: 'main', reason: 'end of the log' });
      stream.handlers.onClose();
    });
    expect(await screen.findByText('No log lines (last hour).')).toBeInTheDocument();
  });

  it('offers the log before the last restart of a container that restarted', async () => {
    const restarted = pod('cart-api-1', {
      ready: false,
      containers: [{ name: 'main', ready: false, restartCount: 3, state: 'waiting', reason: 'CrashLoopBackOff', hasPrevious: true }],
    });
    const logsApi = new FakeLogsApi({ development: [restarted] });
    await renderLogs(logsApi);
    await logsApi.open();
    await userEvent.click(screen.getByRole('combobox', { name: 'Pod' }));
    await userEvent.click(await screen.findByRole('option', { name: /cart-api-1 · Running · 3 restarts/ }));
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Before the last restart (3 restarts)' }));
    await waitFor(() => expect(logsApi.streams.filter(s => !s.closed)[0]?.query).toEqual({ pod: 'cart-api-1', follow: false, previous: true, tailLines: 500 }));
    expect(screen.getByRole('checkbox', { name: 'Follow' })).toBeDisabled();
  });

  it('says there are no pods in an environment, with the events that may explain why', async () => {
    const logsApi = new FakeLogsApi({ development: [] });
    logsApi.events = [event('e1', 'FailedCreate', '2026-12-07T07:00:00Z')];
    await renderLogs(logsApi);
    expect(
      await screen.findByText('No pods of cart-api in development: it is not deployed there, or its pods have not started yet. The events beside may say why.'),
    ).toBeInTheDocument();
    expect(await screen.findByText('FailedCreate')).toBeInTheDocument();
    expect(logsApi.streams).toHaveLength(0);
  });

  it('shows what the data plane said when a stream fails, and opens it again on request', async () => {
    const logsApi = new FakeLogsApi({ development: [pod('cart-api-1')] });
    await renderLogs(logsApi);
    const stream = await logsApi.open();
    act(() => {
      stream.handlers.onReady({ dataPlane: 'sandbox', follow: true, pods: [{ pod: 'cart-api-1', container: 'main' }] });
      stream.handlers.onError({ message: 'data plane sandbox (http://127.0.0.1:1): the connection broke while following cart-api-1/main', dataPlane: 'sandbox' });
      stream.handlers.onClose();
    });
    expect(await screen.findByText('data plane sandbox (http://127.0.0.1:1): the connection broke while following cart-api-1/main')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Open again' }));
    await waitFor(() => expect(logsApi.streams).toHaveLength(2));
    expect(logsApi.streams[0].closed).toBe(true);
  });

  it('says what to do when logs may not be read or the data plane cannot be reached', async () => {
    const denied = new FakeLogsApi({});
    denied.podsError = Object.assign(new Error('reading logs and events requires the cellplane.logs.read permission'), { statusCode: 403 });
    const { unmount } = await renderLogs(denied);
    expect(await screen.findByText(/You may not read the logs of cart-api in development/)).toBeInTheDocument();
    unmount();
    const unreachable = new FakeLogsApi({ development: [pod('cart-api-1')] });
    unreachable.podsError = Object.assign(new Error('could not list the pods of cart-api in development on data plane eu-1: connect ECONNREFUSED'), {
      statusCode: 503,
    });
    await renderLogs(unreachable);
    expect(await screen.findByText(/The data plane of cart-api in development cannot be reached/)).toBeInTheDocument();
    unreachable.podsError = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await unreachable.open();
  });

  it('shows a status error naming the component when its environments cannot be read', async () => {
    const logsApi = new FakeLogsApi({});
    const statusApi = new FakeStatusApi([], Object.assign(new Error('no component acme/cart-api in the GitOps repository'), { statusCode: 404 }));
    await renderLogs(logsApi, statusApi);
    expect(await screen.findByText(/Cellplane does not know cart-api/)).toBeInTheDocument();
  });
});
