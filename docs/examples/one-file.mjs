// A map and its worker in one file: the workers import this file, so the code that starts the map
// runs only when the file is the program itself. Usage: node docs/examples/one-file.mjs
import { fileURLToPath } from 'node:url';
import { fromModule, pqdm } from '@mtl/threads';

const factor = 3;
export const scale = (x) => x * factor;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await pqdm([1, 2, 3], fromModule(import.meta.url, scale), 2));
}
