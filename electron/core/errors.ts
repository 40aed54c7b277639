// One-line error reasons. Every failure reaches the user as one line that says
// what and where (DESIGN.md): the CLI's stderr, an IPC error, a result's
// `reason`. Pure, so main, the model host and the renderer word them alike.

/** The first non-empty line of an error's message, at most 300 characters. */
export function oneLine(value: unknown): string {
  const text = value instanceof Error ? value.message : String(value);
  const line = text.split(/\r?\n/).map((s) => s.trim()).find(Boolean) ?? 'unknown error';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** A schema failure's first issue as `path: message` (`whole` names a failure of the value itself); a limit passed names the limit. */
export function firstIssue(error: { issues: readonly SchemaIssue[] }, whole = 'value'): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return `${path || whole}: ${limitText(issue) ?? issue.message}`;
}

interface SchemaIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  origin?: string;
  maximum?: number | bigint;
}

/** "longer than the 2,000-character limit" for a too-long string (issue 16: the reason names the limit), else null. */
function limitText(issue: SchemaIssue): string | null {
  if (issue.code !== 'too_big' || issue.maximum === undefined) return null;
  const max = Number(issue.maximum).toLocaleString('en-US');
  if (issue.origin === 'string') return `longer than the ${max}-character limit`;
  if (issue.origin === 'array') return `more than the ${max} allowed`;
  return null;
}

// Failures that may pass (issue 16). A call main received either fails for
// good, whatever the number of tries (a value over a limit, a record that is
// not there, a read-only project, a project no longer open): the renderer
// takes the edit back; or it fails for a while (another process holds the
// write lock, the disk is full or failing): the edit is kept for Retry. The
// second kind travels marked in the message, because the preload's
// contextBridge passes nothing of an Error but its message.
const TRANSIENT_MARK = 'may pass: ';

/** The message of a failure that may pass when the same call is made again. */
export function markTransient(message: string): string {
  return TRANSIENT_MARK + message;
}

/** Whether an error is one main marked as may-pass (markTransient). */
export function isTransient(err: unknown): boolean {
  return (err instanceof Error ? err.message : String(err)).startsWith(TRANSIENT_MARK);
}

/** The message without the may-pass mark, for people. */
export function withoutTransientMark(message: string): string {
  return message.startsWith(TRANSIENT_MARK) ? message.slice(TRANSIENT_MARK.length) : message;
}
