// The store's limit on a text field, enforced as it is typed (issue 16): a
// paste past it is cut there (maxLength for the browser; capText for a value
// set any other way), and the field says the limit is reached, so nothing is
// sent that the store would refuse and nothing is cut without a word.
export function capText(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

/** capText for each line of a field that holds one value a line (the batch dialog's phrases). */
export function capLines(value: string, max: number): string {
  return value.split('\n').map((line) => capText(line, max)).join('\n');
}

/** The longest line's length, for LimitNote under a field of one value a line. */
export function longestLine(value: string): number {
  return Math.max(0, ...value.split('\n').map((line) => line.length));
}

/** "2,000-character limit reached" by a field whose text is at its limit (what was pasted past it is not kept); nothing below it. */
export function LimitNote({ length, max }: { length: number; max: number }) {
  if (length < max) return null;
  return (
    <span className="limit-note" data-testid="limit-note" role="status">
      {max.toLocaleString('en-US')}-character limit reached
    </span>
  );
}
