import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { Theme } from '@mui/material/styles';
import { useTheme } from '@mui/material/styles';
import { screen } from '@testing-library/react';
import { LiveIndicator } from './LiveIndicator';
import { SandboxBadge } from './SandboxBadge';

/** Backstage's own theme (not MUI's default) carries page themes; MUI's default has none. */
function ThemeProbe(props: { onTheme: (theme: Theme) => void }) {
  props.onTheme(useTheme());
  return null;
}

// renderInTestApp wraps the page in the app's theme provider (UnifiedThemeProvider, from the same
// app-theme extension the portal uses), so these tests see what a user of the portal sees.
describe('the common status widgets on @mui/material v5', () => {
  it("get Backstage's theme from the app, and show live status in its success colour", async () => {
    let theme: Theme | undefined;
    await renderInTestApp(
      <>
        <ThemeProbe onTheme={t => (theme = t)} />
        <LiveIndicator />
      </>,
    );
    expect(typeof (theme as unknown as { getPageTheme?: unknown }).getPageTheme).toBe('function');
    const live = screen.getByRole('status');
    expect(live).toHaveTextContent('● Live');
    expect(live).toHaveAttribute('title', 'Changes show as they happen');
    expect(getComputedStyle(live).color).toBe(rgb(theme!.palette.success.main));
  });

  it('says the view is reconnecting, and why, while the stream is down', async () => {
    await renderInTestApp(<LiveIndicator streamError={new Error('socket closed')} />);
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('○ Reconnecting…');
    expect(status).toHaveAttribute('title', 'Live updates paused (socket closed); reconnecting');
  });

  it('names the sandbox data plane the status comes from', async () => {
    await renderInTestApp(<SandboxBadge dataPlane="sandbox" />);
    expect(screen.getByText('Sandbox')).toBeInTheDocument();
    expect(
      screen.getByLabelText('Status from the sandbox data plane "sandbox": a simulated cluster, no real workloads'),
    ).toBeInTheDocument();
  });
});

/** `#2e7d32` as the browser reports a computed colour: `rgb(46, 125, 50)`. */
function rgb(hex: string): string {
  const value = hex.replace('#', '');
  const [r, g, b] = [0, 2, 4].map(i => parseInt(value.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
