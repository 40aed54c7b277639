// What every `egm` sub-command implements. Commands write JSON results to
// io.stdout and progress/logs to io.stderr; a failure throws CliError (or any
// error) and the dispatcher prints one line and exits non-zero.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliCommand {
  name: string;
  /** One usage line per form, shown by `egm --help` and after a usage error. */
  usage: string[];
  run(args: string[], io: CliIo): Promise<number | void>;
}

/** An expected failure: message is the whole one-line reason. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Usage mistakes exit with 2, like most Unix tools. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}
