import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';

/** A port nothing listens on now (the system's choice, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port. */
export async function listening(port: number, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Connects, sends `bytes`, and reports what came back and whether the other side closed the
 * connection within `ms` (we close it ourselves after that).
 */
export function visit(port: number, bytes: Buffer, ms = 3000): Promise<{ received: number; closedByPeer: boolean }> {
  return new Promise((resolve, reject) => {
    let received = 0;
    const socket = connect(port, '127.0.0.1', () => {
      if (bytes.length > 0) socket.write(bytes);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedByPeer: false });
    }, ms);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, closedByPeer: true });
    });
  });
}

export const randomToken = () => randomBytes(32);
