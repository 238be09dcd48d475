import { checkCount, checkFunction, checkObject } from './check.js';

/** `limits`: at most this many items of a label run at once (`{ gpu: 2, net: 8 }`). */
export type Limits = Readonly<Record<string, number>>;

/** `label`: the label (or labels) of an item, which `limits` caps. */
export type Labeller = (item: never) => string | readonly string[];

export interface ResolvedLimits {
  limits: ReadonlyMap<string, number>;
  label: (item: unknown) => string | readonly string[];
}

/** Validates `limits` and `label`, which go together: called when either is given. */
export function resolveLimits(limits: unknown, label: unknown): ResolvedLimits {
  if (limits === undefined || label === undefined) {
    throw new TypeError(
      '`limits` and `label` go together: `limits: { gpu: 2 }` caps the items that `label: (item) => string | string[]` gives a label',
    );
  }
  const map = new Map<string, number>();
  for (const [name, count] of Object.entries(checkObject(limits, 'limits', 'an object of label: count'))) {
    map.set(name, checkCount(`limits.${name}`, count));
  }
  checkFunction('label', label);
  return { limits: map, label: label as ResolvedLimits['label'] };
}
