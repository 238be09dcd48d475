import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What scripts/services wrote about the engines it started (see its README). */
export interface Services {
  slurm?: { ok: boolean; error?: string; env?: Record<string, string> };
  ssh?: { ok: boolean; error?: string; config: string; hosts: string[] };
  netns?: {
    ok: boolean;
    error?: string;
    hostAddress: string;
    bridge: string;
    hosts: { name: string; ssh: string; address: string; netns: string }[];
  };
}

const file = join(process.env.MTL_SERVICES_DIR ?? '/tmp/mtl-services', 'services.json');

export const services: Services = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Services) : {};

/**
 * Whether a service is up. When it is not, says so where the test output shows it; when
 * MTL_REQUIRE_SERVICES names it (CI: `slurm,ssh`), that is an error instead: there these tests must run.
 */
export function available(name: keyof Services): boolean {
  const service = services[name];
  if (service?.ok) return true;
  const why = service
    ? `${file} says ${name} is not available: ${service.error ?? 'ok: false'}`
    : `${existsSync(file) ? `${file} has no ${name}` : `${file} does not exist`}; start the services with \`bash scripts/services/services.sh start\``;
  const required = (process.env.MTL_REQUIRE_SERVICES ?? '').split(',');
  if (required.includes(name)) throw new Error(`MTL_REQUIRE_SERVICES names ${name}, but ${why}`);
  console.warn(`[@mtl/remote] SKIPPED: the ${name} tests do not run: ${why}`);
  return false;
}
