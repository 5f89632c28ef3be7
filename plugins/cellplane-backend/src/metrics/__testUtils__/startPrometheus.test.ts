import { startPrometheus } from './startPrometheus';

describe('startPrometheus', () => {
  it('fails, saying what to run, when Prometheus is not installed', async () => {
    await expect(startPrometheus([], { searchPath: ['/nonexistent'] })).rejects.toThrow(
      "prometheus is not installed: run ./cellplane test once (its ensure_prometheus installs Debian's prometheus package), or apt-get install -y prometheus",
    );
  });
});
