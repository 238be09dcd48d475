// The worker module of commonjs.cjs: what it exports, each worker requires.
const factor = 3;
const scale = (x) => x * factor;
module.exports = { scale };
