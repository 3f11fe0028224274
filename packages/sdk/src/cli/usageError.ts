/** A wrong command line. The CLI prints the message and a pointer to --help, and exits with 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
