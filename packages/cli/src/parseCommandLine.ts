import { parseArgs, type ParseArgsConfig } from "node:util";
import { closestMatch } from "@graph-sync/sdk/tooling";
import { UsageError } from "./usageError.js";

/** A command's options, as node:util parseArgs describes them (`{ json: { type: "boolean" } }`). */
export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

/** Names that suggest a secret is being passed on the command line. */
const SECRET_LIKE = /secret|password|code|token|credential(?!s-file)|key/i;

/**
 * Parses one command's options with node:util parseArgs, but reports problems itself: parseArgs'
 * own messages quote the offending argument, which could be a secret typed in the wrong place.
 * Here an unknown option is named by its position (with a suggestion when it is a typo of a known
 * one), never by its text or value, and positional arguments are never shown.
 */
export function parseCommandLine<T extends OptionSpecs>(command: string, args: readonly string[], options: T) {
  const { values, positionals, tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = options[token.name];
    if (!spec) {
      // Named by position, with a suggestion: the option text itself may be a secret (`--<code>`).
      throw new UsageError(
        `Unknown option (argument ${token.index + 1}) for "${command}"${suggestOption(token.name, options)}.` +
          (SECRET_LIKE.test(token.name)
            ? " Credentials are never accepted as command-line values (other users can read the process list): use --credentials-file <path>, --credentials-file - (stdin) or GRAPH_SYNC_CREDENTIALS."
            : ""),
      );
    }
    if (spec.type === "string" && token.value === undefined) throw new UsageError(`--${token.name} needs a value.`);
    if (spec.type === "boolean" && token.inlineValue) throw new UsageError(`--${token.name} takes no value.`);
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `"${command}" takes no arguments besides its options (got ${positionals.length}; not shown, in case one is a secret). ` +
        "Credentials go in a file, stdin or GRAPH_SYNC_CREDENTIALS, never on the command line.",
    );
  }
  return values as { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string };
}

function suggestOption(typed: string, options: OptionSpecs): string {
  const suggestion = closestMatch(typed, Object.keys(options));
  return suggestion === undefined ? "" : `; did you mean --${suggestion}?`;
}
