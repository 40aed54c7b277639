// One-line error reasons. Every failure reaches the user as one line that says
// what and where (DESIGN.md): the CLI's stderr, an IPC error, a result's
// `reason`. Pure, so main, the model host and the renderer word them alike.

/** The first non-empty line of an error's message, at most 300 characters. */
export function oneLine(value: unknown): string {
  const text = value instanceof Error ? value.message : String(value);
  const line = text.split(/\r?\n/).map((s) => s.trim()).find(Boolean) ?? 'unknown error';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** A schema failure's first issue as `path: message` (`whole` names a failure of the value itself). */
export function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, whole = 'value'): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return `${path || whole}: ${issue.message}`;
}
