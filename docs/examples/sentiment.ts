// The worker module of model-lines.ts: a toy sentiment "model" (a word lexicon), loaded once in each
// worker and then applied to one line of text per call. No top-level side effects besides the spec.
import { readFile } from 'node:fs/promises';
import { delayedInit } from '@mtl/threads';

export interface Scored {
  score: number;
  label: 'positive' | 'negative' | 'neutral';
}

export class SentimentModel {
  lines = 0;

  constructor(readonly weights: ReadonlyMap<string, number>) {}

  call(text: string): Scored {
    this.lines++;
    let score = 0;
    for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) score += this.weights.get(word) ?? 0;
    return { score, label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral' };
  }

  close(): void {
    console.error(`a worker scored ${this.lines} lines`);
  }
}

/** Loads the lexicon (once per worker: this is the expensive part of a real model). */
export async function loadModel(path: string): Promise<SentimentModel> {
  const weights = new Map<string, number>();
  for (const row of (await readFile(path, 'utf8')).split('\n')) {
    const [word, weight] = row.split('\t');
    if (word && !word.startsWith('#')) weights.set(word, Number(weight));
  }
  return new SentimentModel(weights);
}

/** The worker spec: `Sentiment(path)` runs `loadModel(path)` in each worker. */
export const Sentiment = delayedInit(import.meta.url, loadModel);
