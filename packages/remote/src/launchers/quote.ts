/** Quotes one word for a POSIX shell (bash, sh, zsh), as a remote login shell reads the command of ssh. */
export const shellQuote = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
