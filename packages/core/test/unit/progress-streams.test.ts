import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { createProgress } from '../../src/progress.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

it('a stream of your own is let go once the maps drawing on it have ended', async () => {
  let collected = false;
  const registry = new FinalizationRegistry(() => {
    collected = true;
  });
  (() => {
    const stream = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: true });
    const progress = createProgress({ stream }, 'mine', 3);
    progress?.tick(3, 0);
    progress?.stop(3, 0);
    registry.register(stream, undefined);
  })();
  for (let i = 0; i < 20 && !collected; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(collected).toBe(true);
});
