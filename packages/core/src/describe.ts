/** A short description of a value for error messages: its type and, for primitives, the value. */
export function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (typeof value === 'string') return `\`${JSON.stringify(value)}\` (string)`;
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (typeof value === 'object') {
    let name: unknown;
    try {
      name = value.constructor?.name;
    } catch {}
    return `an object (${typeof name === 'string' && name ? name : 'null prototype'})`;
  }
  return `\`${String(value)}\` (${typeof value})`;
}
