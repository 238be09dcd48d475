import type { Transport } from '../transport.js';

/** What a backend package gives the core: its name, its own pool options and a transport made from them. */
export interface Backend<BackendOptions extends object = object> {
  /** `'threads'`, `'processes'`: names the backend in error messages. */
  readonly name: string;
  /** The names of the backend's own pool options (`env`, `execArgv`, ...), for validation. */
  readonly optionNames: readonly (keyof BackendOptions & string)[];
  /** Validates the backend's options and returns its transport. Called once per pool. */
  createTransport(options: BackendOptions): Transport;
  /**
   * The number of workers when neither nJobs nor an array of specs says; when it is left out or
   * returns undefined (the backend has no better guess), `os.availableParallelism()`.
   */
  defaultJobs?(options: BackendOptions): number | undefined;
}
