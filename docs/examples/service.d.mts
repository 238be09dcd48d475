// Types of service.mjs, for the TypeScript examples that use it.
export interface Service {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Requests received, per path. */
  requests: Map<string, number>;
  close(): Promise<void>;
}
export function startService(): Promise<Service>;
