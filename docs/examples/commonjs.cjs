// The same map from CommonJS: require, a module named with path.join(__dirname, ...), and no
// top-level await (an async function instead). Usage: node docs/examples/commonjs.cjs
const path = require('node:path');
const { fromModule, pqdm } = require('@mtl/threads');
const { scale } = require('./commonjs-work.cjs');

async function main() {
  const work = fromModule(path.join(__dirname, 'commonjs-work.cjs'), scale);
  console.log(await pqdm([1, 2, 3], work, 2));
}

main();
