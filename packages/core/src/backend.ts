import type { Transport } from './transport.js';

/** What a backend package gives the core: its extra pool options and a transport made from them. */
export interface Backend<BackendOptions extends object = object> {
  readonly name: string;
  /** The names of the backend's own pool options (`env`, `execArgv`, ...), for validation. */
  readonly optionNames: readonly string[];
  /** Validates the backend's options and returns its transport. */
  createTransport(options: BackendOptions): Transport;
}
