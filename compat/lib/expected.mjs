// The cells that cannot work, as docs/compatibility.md lists them: which cells, and the error users see.
// A listed cell that fails with that error is "unsupported", not a failure; with another error, it fails.
// Each id is the anchor of its heading in docs/compatibility.md.

/** Node runs .ts files itself (type stripping on by default) from 22.18 and 23.6. */
export function stripsTypes(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

/** require() of an ES module: Node 20.19+ and 22.12+. */
const requiresEsm = (version) => {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
};

/** tsx needs module.register(): Node 20.6+. */
const registersHooks = (version) => {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 6);
};

export const unsupported = [
  {
    id: 'u1-typescript-without-type-stripping-or-tsx',
    tag: 'U1',
    what: 'a .ts worker module without tsx, on a Node that does not strip types (20; 22 before 22.18)',
    applies: (cell) => cell.module === 'ts (native)' && !stripsTypes(cell.node.version),
    error: /Unknown file extension "\.ts"|SyntaxError/,
  },
  {
    id: 'u2-require-of-typescript-in-a-vitest-test-on-node-20',
    tag: 'U2',
    what: 'require() of a .ts worker module in a vitest test, on a Node that does not strip types',
    applies: (cell) =>
      cell.context === 'vitest' && cell.kind === 'cjs' && cell.module === 'ts' && !stripsTypes(cell.node.version),
    error: /SyntaxError/,
  },
  {
    id: 'u3-mtl-inlined-into-a-bundle',
    tag: 'U3',
    what: 'mtl inlined into a bundle without its worker entry (dist/<backend>-worker.cjs; remote: dist/mtl-worker.cjs) beside the bundle',
    applies: (cell) => cell.context === 'bundle' && cell.module === 'inlined',
    error: /its worker entry \S+-worker\.cjs is missing, so no worker can start/,
  },
  {
    id: 'u4-require-of-an-es-module-before-node-2019-and-2212',
    tag: 'U4',
    what: 'require() of an ES module worker (.mjs) from CommonJS, on Node before 20.19 (22: before 22.12)',
    applies: (cell) => cell.kind === 'cjs' && cell.module === 'mjs' && !requiresEsm(cell.node.version),
    error: /ERR_REQUIRE_ESM/,
  },
  {
    id: 'u5-tsx-before-node-206',
    tag: 'U5',
    what: 'tsx (and so a .ts worker module) on Node 20.5, before module.register()',
    applies: (cell) => cell.module.startsWith('ts') && !registersHooks(cell.node.version),
    error: /does not support module\.register\(\)/,
  },
];

/**
 * A cell's outcome: `pass`; `unsupported` (listed, and failed with the listed error); `pass-listed`
 * (listed, yet it passed: the docs need updating); or `fail`.
 */
export function classify(cell, { ok, ms, error, output }) {
  const reason = unsupported.find((entry) => entry.applies(cell));
  if (ok) return { status: reason ? 'pass-listed' : 'pass', ms };
  if (reason?.error.test(output ?? error)) return { status: 'unsupported', reason, ms };
  return { status: 'fail', ms, error };
}
