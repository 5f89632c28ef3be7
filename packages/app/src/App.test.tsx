import { render, screen, waitFor } from '@testing-library/react';
import App from './App';
import { LogoFull } from './modules/nav/LogoFull';
import { LogoIcon } from './modules/nav/LogoIcon';

describe('App', () => {
  it('says Cellplane on the sign-in page and in the browser tab', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Cellplane' },
            backend: { baseUrl: 'http://localhost:7007' },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(await screen.findByText('Cellplane')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
    expect(screen.queryByText(/Backstage/)).not.toBeInTheDocument();
    await waitFor(() => expect(document.title).toMatch(/Cellplane/));
    expect(document.title).not.toMatch(/Backstage/);
  });

  it("draws Cellplane's own mark in the sidebar, open and closed", () => {
    render(
      <>
        <LogoFull />
        <LogoIcon />
      </>,
    );
    const logos = screen.getAllByRole('img', { name: 'Cellplane' });
    expect(logos).toHaveLength(2);
    expect(logos[0]).toHaveTextContent('Cellplane');
  });
});
