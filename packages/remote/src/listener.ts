import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { type Channel, HELLO_BYTES, readHello, TOKEN_BYTES } from './wire.js';

/** How long a new connection has to present its hello before it is closed. */
const HELLO_TIMEOUT_MS = 10_000;

/** Where the pool listens, and the address its workers dial. */
export interface ListenAddress {
  host: string;
  port: number;
  advertise: string;
}

/** A worker being started, which claims the connections that name its launch. */
export interface Claimant {
  readonly slot: number;
  /** Takes a connection that presented the token; false when it has no use for it (it is then closed). */
  attach(channel: Channel, socket: Socket, rest: Buffer): boolean;
}

/**
 * The pool's TCP server. A connection must first present the hello of a worker being started, with
 * the pool's token: one that does not is closed, having been sent nothing and read no further.
 * Nothing of it keeps the process alive: the workers' own handles do, while a map runs.
 */
export class Listener {
  readonly token = randomBytes(TOKEN_BYTES);
  #server: Server | undefined;
  #port: Promise<number> | undefined;
  #claimants = new Map<number, Claimant>();
  #strangers = new Set<Socket>();
  #closed = false;

  constructor(readonly address: ListenAddress) {}

  /** Listens, the first time it is asked, and resolves with the port. */
  port(): Promise<number> {
    this.#port ??= new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(new Error('the pool is closed'));
        return;
      }
      const server = createServer((socket) => this.#greet(socket));
      this.#server = server;
      server.unref();
      server.once('error', reject);
      server.listen({ host: this.address.host, port: this.address.port }, () => {
        server.off('error', reject);
        // Later errors of a listening server concern one connection, which its own handler sees.
        server.on('error', () => {});
        const { port } = server.address() as AddressInfo;
        if (this.#closed) server.close();
        resolve(port);
      });
    });
    return this.#port;
  }

  expect(launch: number, claimant: Claimant): void {
    this.#claimants.set(launch, claimant);
  }

  forget(launch: number): void {
    this.#claimants.delete(launch);
  }

  #greet(socket: Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    this.#strangers.add(socket);
    socket.unref();
    const parts: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    timer.unref();
    const onData = (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size < HELLO_BYTES) return;
      socket.off('data', onData);
      clearTimeout(timer);
      this.#strangers.delete(socket);
      const bytes = Buffer.concat(parts, size);
      const hello = readHello(bytes.subarray(0, HELLO_BYTES));
      // The token is compared in constant time, so that its bytes cannot be guessed one by one.
      const claimant =
        hello && timingSafeEqual(hello.token, this.token) ? this.#claimants.get(hello.launch) : undefined;
      const taken =
        hello !== undefined &&
        claimant?.slot === hello.slot &&
        claimant.attach(hello.channel, socket, bytes.subarray(HELLO_BYTES));
      if (!taken) socket.destroy();
    };
    socket.on('data', onData);
    // A stranger's reset is not the pool's error.
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      this.#strangers.delete(socket);
    });
  }

  /**
   * Stops listening at once and closes connections that have not presented the token. (Not waiting
   * for `server.close`'s callback, which comes only once every connection has ended.)
   */
  close(): void {
    this.#closed = true;
    for (const socket of this.#strangers) socket.destroy();
    this.#strangers.clear();
    if (this.#server?.listening) this.#server.close();
  }
}
