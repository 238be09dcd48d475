import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { workerFile } from './live-workers.js';
import { freePort } from './net-helpers.js';

const token = `${'ab'.repeat(32)}\n`;

/** Runs mtl-worker as a launcher would, with `stdin` written and closed; its exit, stderr and time. */
function runWorker(args: string[], stdin: string | undefined) {
  const started = Date.now();
  const child = spawn(process.execPath, [workerFile, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  if (stdin !== undefined) child.stdin.end(stdin);
  return new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) =>
    child.once('close', (code) => resolve({ code, stderr, ms: Date.now() - started })),
  );
}

/** A TCP server that accepts and then does what `onConnection` says (by default, nothing). */
async function server(onConnection: (socket: import('node:net').Socket) => void = () => {}): Promise<[Server, number]> {
  const s = createServer(onConnection);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return [s, (s.address() as { port: number }).port];
}

describe('mtl-worker, the bin a launcher starts', () => {
  it('run by hand, prints its usage', async () => {
    const { code, stderr } = await runWorker([], '');
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: mtl-worker <host> <port> <slot> <launch>.*not meant to be run by hand/);
  });

  it('when stdin ends without a token, says the launcher must pass stdin on', async () => {
    const { code, stderr } = await runWorker(['127.0.0.1', String(await freePort()), '0', '1'], '');
    expect(code).toBe(1);
    expect(stderr).toMatch(/stdin ended before the pool token arrived.*docker exec -i/);
  });

  it('when nothing listens at the address, says it cannot connect, and exits', async () => {
    const port = await freePort();
    const { code, stderr } = await runWorker(['127.0.0.1', String(port), '0', '1'], token);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot connect to the caller at 127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('when the caller accepts the connection but never answers, gives up after its time-out', async () => {
    const [silent, port] = await server();
    try {
      const { code, stderr, ms } = await runWorker(['127.0.0.1', String(port), '0', '1', '1000'], token);
      expect(code).toBe(1);
      expect(stderr).toMatch(/did not accept this worker within 1000 ms/);
      expect(ms).toBeLessThan(10_000);
    } finally {
      silent.close();
    }
  });

  it('when the caller closes the connection without a word (a wrong token), says so and exits', async () => {
    const [closing, port] = await server((socket) => socket.once('data', () => socket.destroy()));
    try {
      const { code, stderr } = await runWorker(['127.0.0.1', String(port), '0', '1'], token);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/closed the connection without a word|did not accept/);
    } finally {
      closing.close();
    }
  });
});
