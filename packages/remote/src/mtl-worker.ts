// The `mtl-worker` bin, which a launcher (srun, ssh, a command) starts on the worker's host:
//   mtl-worker <host> <port> <slot> <launch> [timeoutMs]     with the pool's token on stdin.
// It connects back to the caller, presents the token, and runs the core's worker runtime over that
// connection; a watchdog thread with a connection of its own ends it when the caller goes away.
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '@mtl/core/backend';
import { onUncaughtError, runWorker, serializeError, whenOutputFlushed } from '@mtl/core/runtime';
import { type WatchdogData, watch } from './watchdog.js';
import { FrameReader, frame, KEEPALIVE_MS, MESSAGES, TOKEN_BYTES, wireProbe, writeHello } from './wire.js';

/** How long a worker waits for its token and for the caller to accept it, unless told otherwise. */
const DEFAULT_TIMEOUT_MS = 30_000;

// Captured at load: a task may replace globals, and leaving must still work.
const exitNow = process.exit.bind(process);
const stderr = (line: string, then: () => void) => process.stderr.write(`mtl-worker on ${hostname()}: ${line}\n`, then);

if (isMainThread) main();
else watch(workerData as WatchdogData);

function parseArgs(): Omit<WatchdogData, 'token'> | undefined {
  const [host, ...numbers] = process.argv.slice(2);
  const [port, slot, launch, timeoutMs = DEFAULT_TIMEOUT_MS] = numbers.map(Number);
  if (!host || ![port, slot, launch, timeoutMs].every((n) => Number.isInteger(n) && n >= 0)) {
    stderr(
      'usage: mtl-worker <host> <port> <slot> <launch> [timeoutMs], with the pool token on stdin. @mtl/remote starts it through its launcher; it is not meant to be run by hand.',
      () => exitNow(2),
    );
    return undefined;
  }
  return { host, port, slot, launch, timeoutMs };
}

function main(): void {
  const args = parseArgs();
  if (!args) return;
  const { host, port, timeoutMs } = args;
  const fail = (why: string) => stderr(why, () => exitNow(1));
  const deadline = setTimeout(
    () =>
      fail(
        `the caller at ${host}:${port} did not accept this worker within ${timeoutMs} ms: check that this host can reach that address (the pool's listen option)`,
      ),
    timeoutMs,
  );
  readToken(fail, (token) => {
    serve(args, token, deadline, fail);
    const watchdog = new Worker(__filename, { workerData: { ...args, token } satisfies WatchdogData });
    watchdog.on('error', (error) => fail(`its watchdog thread failed: ${error.message}`));
    watchdog.unref();
  });
}

/** Reads the pool's token, a line of hex on stdin. */
function readToken(fail: (why: string) => void, then: (token: Buffer) => void): void {
  const { stdin } = process;
  let text = '';
  const onData = (chunk: string) => {
    text += chunk;
    const end = text.indexOf('\n');
    if (end < 0 && text.length <= 2 * TOKEN_BYTES) return;
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.destroy();
    const hex = text.slice(0, end);
    if (!new RegExp(`^[0-9a-f]{${2 * TOKEN_BYTES}}$`).test(hex)) fail('stdin does not start with a pool token');
    else then(Buffer.from(hex, 'hex'));
  };
  const onEnd = () =>
    fail(
      'stdin ended before the pool token arrived: the launcher must pass stdin on to the worker (docker exec -i, kubectl exec -i)',
    );
  stdin.setEncoding('latin1');
  stdin.on('data', onData);
  stdin.on('end', onEnd);
}

/** Connects to the caller and runs the worker runtime over the connection. */
function serve(
  { host, port, slot, launch }: Omit<WatchdogData, 'token'>,
  token: Buffer,
  deadline: NodeJS.Timeout,
  fail: (why: string) => void,
): void {
  let connected = false;
  let heard = false;
  let handler: ((msg: ToWorker) => void) | undefined;
  const socket = connect({ host, port }, () => {
    connected = true;
    socket.setKeepAlive(true, KEEPALIVE_MS);
    socket.write(writeHello({ channel: MESSAGES, slot, launch, token }));
  });
  socket.setNoDelay(true);
  const departure = new Departure(socket);
  const post = (msg: FromWorker) => {
    socket.write(frame(msg));
  };
  readMessages(socket, fail, (msg) => {
    if (!heard) {
      heard = true;
      clearTimeout(deadline);
    }
    handler?.(msg);
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (!connected) {
      fail(
        `cannot connect to the caller at ${host}:${port} (${error.code ?? error.message}): this host must reach that address (the pool's listen option)`,
      );
    }
  });
  // The caller closed the connection (or the worker is leaving): nothing more to do here.
  socket.on('close', () => {
    if (!connected) return; // the 'error' handler has said why
    if (heard) exitNow(departure.code);
    else
      fail(
        'the caller closed the connection without a word: it did not accept this worker (a wrong token, or a worker it had given up on)',
      );
  });

  // 'finish' also comes when the caller ends the connection (the socket then ends its side too).
  socket.on('finish', () => departure.started && exitNow(departure.code));
  onUncaughtError((error) => {
    try {
      post({ type: 'crashed', error: serializeError(error, wireProbe) });
    } catch {}
    departure.begin(1);
  });

  runWorker({
    post,
    onMessage: (receive) => {
      handler = receive;
    },
    canSend: wireProbe,
    exit: () => departure.begin(0),
  });
}

/**
 * The worker's way out: once what it wrote to stdout and stderr is out (a pipe is written
 * asynchronously), it ends its side of the connection, and exits when the socket is done; the caller
 * counts the worker as gone once its connection closes. No callback on `end` (that goes through
 * Array.prototype.push, which a task may have broken); if even that throws, it exits at once.
 */
class Departure {
  started = false;
  code = 0;

  constructor(private readonly socket: Socket) {}

  begin(code: number): void {
    if (this.started) return;
    this.started = true;
    this.code = code;
    try {
      whenOutputFlushed(() => {
        try {
          this.socket.end();
        } catch {
          exitNow(code);
        }
      });
    } catch {
      exitNow(code);
    }
  }
}

/** Reads the caller's messages, framed, off the socket. */
function readMessages(socket: Socket, fail: (why: string) => void, receive: (msg: ToWorker) => void): void {
  const reader = new FrameReader(
    (msg) => receive(msg as ToWorker),
    (error) => fail(`a message from the caller could not be read: ${(error as Error)?.message}`),
  );
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
}
