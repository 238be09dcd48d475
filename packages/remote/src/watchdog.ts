// The watchdog thread of a remote worker. A worker busy in a synchronous task never sees its socket
// close, and a launcher killed on the caller's side (ssh) leaves it running on its host; so this thread,
// whose event loop no task can block, holds a connection of its own to the caller and kills the whole
// process when that connection closes (the caller ended, or gave up on this worker) or when it is not
// accepted within the time-out. It also answers the caller's heartbeats.
import { connect } from 'node:net';
import { KEEPALIVE_MS, WATCHDOG, writeHello } from './wire.js';

export interface WatchdogData {
  host: string;
  port: number;
  slot: number;
  launch: number;
  token: Uint8Array;
  timeoutMs: number;
}

export function watch({ host, port, slot, launch, token, timeoutMs }: WatchdogData): void {
  const kill = () => process.kill(process.pid, 'SIGKILL');
  // Later than the main thread's own deadline, which says why before it exits; this one is the backstop.
  const deadline = setTimeout(kill, timeoutMs + 5_000);
  const socket = connect({ host, port }, () => {
    socket.setKeepAlive(true, KEEPALIVE_MS);
    socket.write(writeHello({ channel: WATCHDOG, slot, launch, token: Buffer.from(token) }));
  });
  // The caller writes a byte once it has accepted this worker, then one per heartbeat, which this
  // thread, free while a task keeps the main one busy, answers.
  socket.on('data', (bytes: Buffer) => {
    clearTimeout(deadline);
    socket.write(bytes);
  });
  socket.on('error', () => {});
  socket.on('close', kill);
}
