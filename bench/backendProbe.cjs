/*
 * Preloaded into the backend by `yarn bench:hostile` (`backstage-cli package start --require`): measures the
 * backend's own event-loop delay and memory from inside the process, where a blocked loop is
 * felt, and answers on a port of its own (BENCH_PROBE_PORT) so the benchmark can read them.
 *
 *   GET  /stats  { eventLoopMaxMs, eventLoopP99Ms, rssBytes, heapUsedBytes }
 *   POST /reset  starts a new measuring window
 *   POST /gc     runs a full garbage collection, then answers /stats
 *   POST /profile/start, POST /profile/stop?file=PATH
 *                a CPU profile of the backend (inspector), to find what blocked the loop
 */
const fs = require('node:fs');
const http = require('node:http');
const inspector = require('node:inspector');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const v8 = require('node:v8');
const vm = require('node:vm');

const port = Number(process.env.BENCH_PROBE_PORT);
if (port) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  let histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();

  // Each time the loop was blocked for over 100 ms: when it ended (µs, the CPU profile's clock)
  // and for how long, so a profile can say what ran then.
  let blocks = [];
  let last = process.hrtime.bigint();
  setInterval(() => {
    const now = process.hrtime.bigint();
    const lateMs = Number(now - last) / 1e6 - 10;
    if (lateMs > 100) blocks.push({ endMicros: Number(now / 1000n), ms: Math.round(lateMs) });
    last = now;
  }, 10).unref();

  const stats = () => ({
    blocks,
    eventLoopMaxMs: histogram.max / 1e6,
    eventLoopP99Ms: histogram.percentile(99) / 1e6,
    rssBytes: process.memoryUsage().rss,
    heapUsedBytes: process.memoryUsage().heapUsed,
  });

  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://probe');
    if (req.method === 'POST' && url.pathname === '/profile/start') {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 1000 });
      await post('Profiler.start');
    } else if (req.method === 'POST' && url.pathname === '/profile/stop') {
      const { profile } = await post('Profiler.stop');
      fs.writeFileSync(url.searchParams.get('file'), JSON.stringify(profile));
    } else if (req.method === 'POST' && req.url === '/reset') {
      histogram.disable();
      histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      blocks = [];
    } else if (req.method === 'POST' && req.url === '/gc') {
      gc();
      gc();
    } else if (!(req.method === 'GET' && req.url === '/stats')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats()));
  });
  server.on('error', error => process.stderr.write(`bench probe: ${error.message}\n`));
  server.listen(port, '127.0.0.1');
  server.unref();
}
