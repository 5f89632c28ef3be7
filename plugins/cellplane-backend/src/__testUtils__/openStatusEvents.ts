import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/** Reads the status Server-Sent Events stream of a test backend into a list of parsed `status` events. */
export function openStatusEvents(server: http.Server, query = '') {
  const events: ComponentEnvironmentStatus[] = [];
  const { port } = server.address() as AddressInfo;
  let raw = '';
  const req = http.get({ host: '127.0.0.1', port, path: `/api/cellplane/status/events${query}` });
  const response = new Promise<http.IncomingMessage>(resolve => {
    req.on('response', res => {
      res.setEncoding('utf8');
      res.on('data', chunk => {
        raw += chunk;
        for (let end = raw.indexOf('\n\n'); end >= 0; end = raw.indexOf('\n\n')) {
          const message = raw.slice(0, end);
          raw = raw.slice(end + 2);
          const data = message.split('\n').find(line => line.startsWith('data: '));
          if (message.includes('event: status') && data) events.push(JSON.parse(data.slice(6)));
        }
      });
      resolve(res);
    });
  });
  req.on('error', () => undefined);
  return { events, response, close: () => req.destroy() };
}
