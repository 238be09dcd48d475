// A small HTTP service on this machine, for the examples that fetch: docs/examples/retries.mjs and
// docs/examples/migration-pyarallel.ts. It misbehaves on purpose, the same way every time.
import { createServer } from 'node:http';

/**
 * Starts the service on a free port of 127.0.0.1. `GET /<kind>/<id>` answers `{ id, name }`, except:
 * `/flaky/<id>` answers 503 to the first two requests for that path, `/missing/<id>` always answers
 * 404, and `/stuck/<id>` never answers the first request for that path. `requests` counts the
 * requests per path.
 */
export async function startService() {
  const requests = new Map();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const count = (requests.get(path) ?? 0) + 1;
    requests.set(path, count);
    const [, kind, id] = path.split('/');
    if (kind === 'flaky' && count <= 2) return response.writeHead(503).end();
    if (kind === 'missing') return response.writeHead(404).end();
    if (kind === 'stuck' && count === 1) return; // no answer, ever
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ id: Number(id), name: `${kind} ${id}` }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
