import { closestMatch } from "@graph-sync/sdk/tooling";

/** A wrong command line. The CLI prints the message and a pointer to --help, and exits with 2. */
export class UsageError extends Error {
  /** Always `UsageError`, also across copies of this package (check the name, not `instanceof`). */
  override readonly name = "UsageError";
}

/**
 * `; did you mean "x"?` when `typed` is a typo of one of `choices`, else nothing. The typed text
 * itself is never shown: an argument in the wrong place may be a secret (a pasted code or client
 * secret), and the CLI's output ends up in terminals, logs and CI transcripts.
 */
export function didYouMean(typed: string, choices: readonly string[]): string {
  const suggestion = closestMatch(typed, choices);
  return suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
}
