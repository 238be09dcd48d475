// typedoc plugin: names each entry point's module after its package ("@mtl/threads"), not its
// folder ("threads/src").
import { readFileSync } from 'node:fs';
import { Converter } from 'typedoc';

const nameOf = (folder) =>
  JSON.parse(readFileSync(new URL(`../packages/${folder}/package.json`, import.meta.url), 'utf8')).name;

export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) {
      const folder = /^([\w-]+)\/src$/.exec(module.name)?.[1];
      if (folder) module.name = nameOf(folder);
    }
  });
}
