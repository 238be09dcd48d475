import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import type { SpecDescriptor } from '../protocol.js';
import { transfer } from '../transfer.js';
import { emit } from '../worker.js';

/** A spec error that no retry can fix: the map fails before any item runs. */
export class SpecError extends Error {
  override name = 'WorkerSpecError';
}

const typeScriptFile = /\.[cm]?tsx?$/;
let tsxRegistered: Promise<void> | undefined;

/**
 * Node 20 does not pass tsx's loader on to worker threads, and only newer Nodes strip types;
 * so a worker that must import a `.ts` module registers tsx itself, found from that module.
 */
const ensureTypeScript = (url: string): Promise<void> => {
  const features = process.features as { typescript?: string | false };
  if (features.typescript) return Promise.resolve();
  tsxRegistered ??= (async () => {
    let api: string;
    try {
      // tsx's ESM entry (its `import` condition): require.resolve would give the CJS one.
      const manifest = createRequire(url).resolve('tsx/package.json');
      const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        exports: Record<string, { import: { default: string } }>;
      };
      api = join(dirname(manifest), exports['./esm/api'].import.default);
    } catch {
      throw new SpecError(
        `cannot load the TypeScript worker module ${url}: this Node (${process.version}) does not strip types and tsx is not installed beside it. Install tsx (npm i -D tsx) or use a Node that strips types (22.18+ or 23.6+).`,
      );
    }
    const { register } = (await import(pathToFileURL(api).href)) as { register: () => unknown };
    register();
  })();
  return tsxRegistered;
};

/**
 * Set while a worker imports its module: a map started then would start workers without end. A
 * global, so that every copy of mtl (ESM and CJS builds) sees it.
 */
export const loadingWorkerModule = Symbol.for('mtl.loadingWorkerModule');
const flags = globalThis as { [loadingWorkerModule]?: boolean };

/**
 * `./work.js` where only `work.ts` is there (a TypeScript project run by tsx, whose imports name the
 * .js file it will compile to): the .ts file, as TypeScript itself resolves it.
 */
function sourceOf(url: string): string {
  if (!url.startsWith('file:')) return url;
  const path = fileURLToPath(url);
  if (existsSync(path)) return url;
  const typescript = path.replace(/\.([mc]?)js(x?)$/, '.$1ts$2');
  return typescript !== path && existsSync(typescript) ? pathToFileURL(typescript).href : url;
}

/** Imports a worker module and returns the named export, or a SpecError that names both. */
export async function loadExport(given: string, name: string): Promise<unknown> {
  const url = sourceOf(given);
  if (typeScriptFile.test(new URL(url).pathname)) await ensureTypeScript(url);
  let namespace: Record<string, unknown>;
  try {
    flags[loadingWorkerModule] = true;
    namespace = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(new URL(url).pathname)) {
      throw new SpecError(
        `the worker module ${url} does not exist on the host this worker runs on (${hostname()}); check the path (it must be there for every worker: on another machine, a shared file system or the same image)`,
        { cause: error },
      );
    }
    throw new SpecError(`the worker module ${url} failed to load: ${(error as Error).message}`, { cause: error });
  } finally {
    flags[loadingWorkerModule] = false;
  }
  if (name in namespace && name !== 'default') return namespace[name];
  const commonjs = namespace.default as { name?: unknown } | undefined;
  if (commonjs && (typeof commonjs === 'object' || typeof commonjs === 'function')) {
    if (name in commonjs) return (commonjs as Record<string, unknown>)[name];
    if (typeof commonjs === 'function' && commonjs.name === name) return commonjs;
  }
  if (name === 'default' && 'default' in namespace) return commonjs;
  const exported = Object.keys(namespace).join(', ') || 'none';
  throw new SpecError(
    `the worker module ${url} has no export named \`${name}\` (its exports: ${exported}). Export it from that module.`,
  );
}

/** Keeps function names that esbuild-based tools (tsx, vitest) add with a `__name` helper. */
const keepName = (target: unknown, value: string) =>
  Object.defineProperty(target, 'name', { value, configurable: true });

/**
 * Evaluates function source sent by the parent in the worker's global scope. Its stack frames name
 * the function and where the user's code gave it. `emit` and `transfer` are in scope, so that a
 * function sent as source text can use them without an import.
 */
export function evaluateSource(source: string, name: string, origin: string | undefined): unknown {
  const filename = `${name || 'anonymous'} [a worker function sent as source text${origin ? ` from ${origin}` : ''}]`;
  try {
    const wrap = runInThisContext(`(function (__name, emit, transfer) { return (${source}\n) })`, { filename });
    return (wrap as (...scope: unknown[]) => unknown)(keepName, emit, transfer);
  } catch (error) {
    throw new SpecError(
      `the worker function sent as source text could not be evaluated in the worker: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** The target of a spec: the function, class or factory it names. */
export async function loadTarget(spec: SpecDescriptor): Promise<unknown> {
  return spec.kind === 'source' || spec.kind === 'source-init'
    ? evaluateSource(spec.source, spec.name, spec.origin)
    : loadExport(spec.url, spec.name);
}
