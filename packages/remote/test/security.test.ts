import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command, Pool } from '@mtl/remote';
import { describe, expect, it } from 'vitest';
import { frame, MESSAGES, WATCHDOG, writeHello } from '../src/wire.js';
import { freePort, listening, randomToken, visit } from './net-helpers.js';

const double = (x: number) => x * 2;

describe('remote: the pool listens only to its own workers', () => {
  it('a connection without the token is closed having been sent nothing, and the workers then start as usual', async () => {
    const port = await freePort();
    // The workers start a second late, so that the strangers come first, naming the launches the
    // workers will present.
    const launcher = command(['sh', '-c', 'sleep 1; exec "$@"', 'sh']);
    const pool = new Pool(double, { nJobs: 2, launcher, listen: { port } });
    try {
      const done = pool.map([1, 2, 3]).then((out) => out);
      await listening(port);
      const [silent, http, wrongToken, pretender] = await Promise.all([
        visit(port, Buffer.alloc(0), 1500),
        visit(port, Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\n\r\n${'x'.repeat(64)}`)),
        visit(port, writeHello({ channel: MESSAGES, slot: 0, launch: 1, token: randomToken() })),
        // A hello with a wrong token, then a reply as a worker would send it.
        visit(
          port,
          Buffer.concat([
            writeHello({ channel: WATCHDOG, slot: 1, launch: 2, token: randomToken() }),
            frame({ type: 'ready' }),
          ]),
        ),
      ]);
      expect(silent).toEqual({ received: 0, closedByPeer: false });
      expect(http).toEqual({ received: 0, closedByPeer: true });
      expect(wrongToken).toEqual({ received: 0, closedByPeer: true });
      expect(pretender).toEqual({ received: 0, closedByPeer: true });
      expect(await done).toEqual([2, 4, 6]);
    } finally {
      await pool.close();
    }
    // close() stops the listening socket.
    expect(await visit(port, Buffer.alloc(0)).catch((error: NodeJS.ErrnoException) => error.code)).toBe('ECONNREFUSED');
  });

  it('even with the token, a connection for no worker being started, or for one already connected, is closed', async () => {
    const port = await freePort();
    const file = join(mkdtempSync(join(tmpdir(), 'mtl-token-')), 'token');
    // A launcher that keeps a copy of what it passes on: the token, as a worker's host would see it.
    const launcher = command([
      'sh',
      '-c',
      'IFS= read -r t; printf "%s\\n" "$t" > "$0"; printf "%s\\n" "$t" | "$@"',
      file,
    ]);
    const pool = new Pool(double, { nJobs: 1, inline: false, launcher, listen: { port } });
    try {
      expect(await pool.map([1])).toEqual([2]);
      const token = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
      const cases = [
        { channel: MESSAGES, slot: 0, launch: 99 }, // no such launch
        { channel: MESSAGES, slot: 3, launch: 1 }, // launch 1 is slot 0's
        { channel: MESSAGES, slot: 0, launch: 1 }, // slot 0 is connected already (it has run an item)
      ] as const;
      for (const hello of cases) {
        expect(await visit(port, writeHello({ ...hello, token }))).toEqual({ received: 0, closedByPeer: true });
      }
      expect(await pool.map([5, 6])).toEqual([10, 12]);
    } finally {
      await pool.close();
    }
  });
});
