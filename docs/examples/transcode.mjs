// A worker module for messages.mjs: a long task that reports its progress while it runs.
import { setTimeout as sleep } from 'node:timers/promises';
import { emit } from '@mtl/threads/worker';

/** Stands for a slow conversion, done in four steps; tells the caller after each. */
export async function transcode(file) {
  for (let percent = 25; percent <= 100; percent += 25) {
    await sleep(20); // a step of the work
    emit(percent);
  }
  return file.replace(/\.wav$/, '.mp3');
}
