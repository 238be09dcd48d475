import type { ResolvedLimits } from '../options/limits.js';

/** An item pulled but held back: a label of it is at its limit. */
export interface HeldItem {
  index: number;
  item: unknown;
  labels: readonly string[];
  /** `checkpoint`: its key. */
  key?: string | undefined;
}

/** `limits` with `label`: how many items of each label run, and the items waiting for room. */
export class LabelGate {
  readonly held: HeldItem[] = [];
  #running = new Map<string, number>();

  constructor(readonly options: ResolvedLimits) {}

  /** The labels of an item (throws what the user's `label` throws). */
  labelsOf(item: unknown): readonly string[] {
    const labels = this.options.label(item);
    return typeof labels === 'string' ? [labels] : labels;
  }

  /** Whether an item with these labels may start now. */
  free(labels: readonly string[]): boolean {
    for (const label of labels) {
      const limit = this.options.limits.get(label);
      if (limit !== undefined && (this.#running.get(label) ?? 0) >= limit) return false;
    }
    return true;
  }

  /** The first held item that may start now, taken out of the held ones. */
  takeHeld(): HeldItem | undefined {
    for (let i = 0; i < this.held.length; i++) {
      if (this.free(this.held[i].labels)) return this.held.splice(i, 1)[0];
    }
    return undefined;
  }

  claim(labels: readonly string[]): void {
    for (const label of labels) this.#running.set(label, (this.#running.get(label) ?? 0) + 1);
  }

  release(labels: readonly string[]): void {
    for (const label of labels) this.#running.set(label, (this.#running.get(label) ?? 1) - 1);
  }
}
