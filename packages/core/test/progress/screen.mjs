// Plays raw terminal output onto a grid of text, as a terminal would show it once it is all written.
// Enough of a VT100 for what cli-progress and readline write: carriage return, line feed, cursor
// moves, erase in line and in display, show and hide the cursor, autowrap. Rows grow downwards
// without limit (no scrolling). Shared by the progress tests and scripts/capture-progress.mjs.

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences start with ESC.
const TOKEN = /\x1b\[([?\d;]*)([@-~])|\x1b([78])|\x1b[^[]|[\s\S]/gu;

/**
 * @param {string} raw what was written to the terminal
 * @param {number} [columns]
 * @returns {{ lines: string[], cursorVisible: boolean, autowrap: boolean, row: number, col: number }}
 */
export function playTerminal(raw, columns = 80) {
  /** @type {string[][]} */
  const grid = [];
  let row = 0;
  let col = 0;
  let cursorVisible = true;
  let autowrap = true;
  let saved = { row: 0, col: 0 };
  const line = (r) => {
    while (grid.length <= r) grid.push([]);
    return grid[r];
  };
  const erase = (r, from, to) => {
    const cells = line(r);
    for (let c = from; c < Math.min(to, cells.length); c++) cells[c] = ' ';
  };
  for (const [token, params, final, shortEscape] of raw.matchAll(TOKEN)) {
    if (final) {
      const private_ = params.startsWith('?');
      const numbers = params.replace('?', '').split(';').map(Number);
      const n = numbers[0] || 1;
      if (final === 'A') row = Math.max(0, row - n);
      else if (final === 'B') row += n;
      else if (final === 'C') col = Math.min(columns - 1, col + n);
      else if (final === 'D') col = Math.max(0, col - n);
      else if (final === 'G') col = Math.min(columns - 1, n - 1);
      else if (final === 'H' || final === 'f') [row, col] = [(numbers[0] || 1) - 1, (numbers[1] || 1) - 1];
      else if (final === 'K') {
        const mode = numbers[0] || 0;
        erase(row, mode === 0 ? col : 0, mode === 1 ? col + 1 : columns);
      } else if (final === 'J') {
        erase(row, (numbers[0] || 0) === 0 ? col : 0, columns);
        grid.length = Math.min(grid.length, row + 1);
      } else if (private_ && (final === 'h' || final === 'l')) {
        if (numbers.includes(25)) cursorVisible = final === 'h';
        if (numbers.includes(7)) autowrap = final === 'h';
      }
    } else if (shortEscape === '7') saved = { row, col };
    else if (shortEscape === '8') ({ row, col } = saved);
    else if (token === '\r') col = 0;
    else if (token === '\n') row++;
    else if (token === '\b') col = Math.max(0, col - 1);
    else if (token >= ' ' && token !== '\x7f' && !token.startsWith('\x1b')) {
      if (col >= columns) {
        if (autowrap) [row, col] = [row + 1, 0];
        else col = columns - 1;
      }
      const cells = line(row);
      while (cells.length < col) cells.push(' ');
      cells[col++] = token;
    }
  }
  line(row);
  return { lines: grid.map((cells) => cells.join('').trimEnd()), cursorVisible, autowrap, row, col };
}
