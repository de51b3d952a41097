/** One `nightshift` sub-command: gets its own argv (after the command name) and returns the exit code. */
export type Command = (argv: string[]) => Promise<number>;

export interface CommandModule {
  readonly default: Command;
  /** One line for `nightshift --help`. */
  readonly summary: string;
}
