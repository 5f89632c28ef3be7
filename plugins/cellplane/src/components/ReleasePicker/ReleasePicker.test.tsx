import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { ComponentReleaseList } from '@cellplane/backstage-plugin-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { ReleasePicker } from './ReleasePicker';

const payments: ComponentReleaseList = {
  namespace: 'acme',
  component: 'payments-api',
  revision: 'c'.repeat(40),
  unpinnedEnvironments: ['development'],
  items: [
    {
      name: 'payments-api-2b3c4d5e6f',
      commit: 'b'.repeat(40),
      createdAt: '2026-11-20T10:00:00Z',
      images: ['ghcr.io/acme/payments-api:1.5.0'],
      environments: ['staging'],
      current: true,
    },
    {
      name: 'payments-api-1a2b3c4d5e',
      commit: 'a'.repeat(40),
      createdAt: '2026-11-10T10:00:00Z',
      images: ['ghcr.io/acme/payments-api:1.4.2'],
      environments: ['production'],
      current: false,
    },
    {
      name: 'payments-api-0f0f0f0f0f',
      images: ['ghcr.io/acme/payments-api:1.3.0'],
      environments: [],
      current: false,
    },
  ],
};

/** The cellplane backend at the edge: answers the releases route from a table, records each request. */
function backend(answers: Record<string, { status: number; body: unknown }>) {
  const requests: string[] = [];
  const fetchApi = mockApis.fetch({
    baseImplementation: async (input: any) => {
      const url = String(input instanceof Request ? input.url : input);
      requests.push(url);
      const path = new URL(url).pathname;
      const answer = answers[path] ?? { status: 404, body: { error: { name: 'NotFoundError', message: `no ${path}` }, response: { statusCode: 404 } } };
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  return { requests, fetchApi };
}

/** The field as the scaffolder form renders it: the whole form's data in formContext, the value kept by the form. */
function Form(props: { form: Record<string, unknown>; uiOptions?: Record<string, unknown>; onValue?: (v?: string) => void; initial?: string }) {
  const [value, setValue] = useState<string | undefined>(props.initial);
  const fieldProps: any = {
    formData: value,
    onChange: (next?: string) => {
      setValue(next);
      props.onValue?.(next);
    },
    uiSchema: { 'ui:options': props.uiOptions ?? {} },
    formContext: { formData: props.form },
    schema: { type: 'string', title: 'Release' },
    idSchema: { $id: 'root_release' },
    required: true,
    rawErrors: [],
  };
  return <ReleasePicker {...fieldProps} />;
}

function renderForm(answers: Record<string, { status: number; body: unknown }>, form: Record<string, unknown>, extra: { uiOptions?: Record<string, unknown>; onValue?: (v?: string) => void; initial?: string } = {}) {
  const api = backend(answers);
  const rendered = renderInTestApp(<Form form={form} {...extra} />, {
    apis: [
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [fetchApiRef, api.fetchApi],
    ],
  });
  return { ...api, rendered };
}

const ok = (body: unknown) => ({ status: 200, body });
const RELEASES = '/api/cellplane/releases/acme/payments-api';

describe('ReleasePicker', () => {
  it("lists the chosen component's releases newest first, with image and where each runs", async () => {
    const { requests } = renderForm({ [RELEASES]: ok(payments) }, { component: 'component:acme/payments-api' });

    await userEvent.click(await screen.findByRole('combobox', { name: /Release/ }));
    const options = await screen.findAllByRole('option');
    expect(options.map(option => within(option).getByText(/ · /).textContent)).toEqual([
      // The newest is the component as it is now: development pins nothing, so it runs it too.
      'payments-api-2b3c4d5e6f · ghcr.io/acme/payments-api:1.5.0 · running in staging, development',
      'payments-api-1a2b3c4d5e · ghcr.io/acme/payments-api:1.4.2 · running in production',
      'payments-api-0f0f0f0f0f · ghcr.io/acme/payments-api:1.3.0 · not running',
    ]);
    expect(within(options[1]).getByText(/in commit aaaaaaa/)).toBeInTheDocument();
    expect(requests).toEqual(['http://backend.test/api/cellplane/releases/acme/payments-api']);
  });

  it('sets the release name as the value when one is chosen', async () => {
    const values: Array<string | undefined> = [];
    renderForm({ [RELEASES]: ok(payments) }, { component: 'component:acme/payments-api' }, { onValue: v => values.push(v) });

    await userEvent.click(await screen.findByRole('combobox', { name: /Release/ }));
    await userEvent.click(await screen.findByRole('option', { name: /running in production/ }));
    expect(values).toEqual(['payments-api-1a2b3c4d5e']);
    expect(screen.getByRole('combobox', { name: /Release/ })).toHaveTextContent(
      'payments-api-1a2b3c4d5e · ghcr.io/acme/payments-api:1.4.2 · running in production',
    );
  });

  it('reads the component from the field ui:options.componentField names', async () => {
    const { requests } = renderForm(
      { '/api/cellplane/releases/globex/billing': ok({ ...payments, namespace: 'globex', component: 'billing', items: [] }) },
      { service: 'globex/billing', component: 'component:acme/payments-api' },
      { uiOptions: { componentField: 'service' } },
    );
    expect(await screen.findByText(/billing has no releases yet/)).toBeInTheDocument();
    expect(requests).toEqual(['http://backend.test/api/cellplane/releases/globex/billing']);
  });

  it('shows that it is loading until the backend answers', async () => {
    let answer!: (response: Response) => void;
    const fetchApi = mockApis.fetch({ baseImplementation: () => new Promise<Response>(resolve => (answer = resolve)) });
    renderInTestApp(<Form form={{ component: 'component:acme/payments-api' }} />, {
      apis: [
        [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
        [fetchApiRef, fetchApi],
      ],
    });
    expect(await screen.findByText('Loading the releases of payments-api…')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Loading the releases of payments-api' })).toBeInTheDocument();
    answer(new Response(JSON.stringify(payments), { status: 200, headers: { 'content-type': 'application/json' } }));
    await waitFor(() => expect(screen.queryByRole('progressbar')).not.toBeInTheDocument());
    expect(screen.getByRole('combobox', { name: /Release/ })).not.toHaveAttribute('aria-disabled');
  });

  it('asks for a component first, and asks the backend nothing', async () => {
    const { requests } = renderForm({}, {});
    expect(await screen.findByText('Choose a component first')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: /Release/ })).toHaveAttribute('aria-disabled', 'true');
    expect(requests).toEqual([]);
  });

  it("shows the backend's message when the releases cannot be read", async () => {
    renderForm(
      { '/api/cellplane/releases/acme/nope': { status: 404, body: { error: { name: 'NotFoundError', message: 'Component "nope" not found in namespace acme' }, response: { statusCode: 404 } } } },
      { component: 'component:acme/nope' },
    );
    expect(await screen.findByText('Cannot list the releases of nope: Component "nope" not found in namespace acme')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: /Release/ })).toHaveAttribute('aria-disabled', 'true');
  });

  it('says when the chosen entity is not a component', async () => {
    const { requests } = renderForm({}, { component: 'system:acme/payments' });
    expect(await screen.findByText('Cannot list releases: system:acme/payments is a system, not a Component')).toBeInTheDocument();
    expect(requests).toEqual([]);
  });

  it('clears a value that is no release of the chosen component', async () => {
    const values: Array<string | undefined> = [];
    renderForm({ [RELEASES]: ok(payments) }, { component: 'component:acme/payments-api' }, { initial: 'cart-api-1111111111', onValue: v => values.push(v) });
    await waitFor(() => expect(values).toEqual([undefined]));
  });
});
