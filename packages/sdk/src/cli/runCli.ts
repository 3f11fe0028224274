import { SDK_VERSION } from "../constants.js";
import { acquireTokenCommand, parseAcquireTokenArguments } from "./acquireTokenCommand.js";
import { CliOutput, type CliIo } from "./cliIo.js";
import { ExitCode } from "./exitCodes.js";
import { authorizeCommand, parseAuthorizeArguments } from "./authorizeCommand.js";
import { ACQUIRE_TOKEN_HELP, AUTHORIZE_HELP, MAIN_HELP } from "./help.js";
import { reportError } from "./reportError.js";
import { didYouMean, UsageError } from "./usageError.js";

const commands = ["acquire-token", "authorize", "help"] as const;
const helpFor: Record<string, string> = { "acquire-token": ACQUIRE_TOKEN_HELP, authorize: AUTHORIZE_HELP };

/**
 * The CLI without the process around it: arguments, streams and an abort signal in, an exit code
 * out. main.ts wires it to the real process; tests may call it directly.
 */
export async function runCli(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const [command, ...args] = argv;
  const json = args.includes("--json");
  const output = new CliOutput(io, args.includes("--verbose"));
  try {
    switch (command) {
      case undefined:
        output.err(MAIN_HELP);
        return ExitCode.usage;
      case "-h":
      case "--help":
        output.out(MAIN_HELP);
        return ExitCode.success;
      case "help": {
        const topic = args[0];
        if (topic !== undefined && !Object.hasOwn(helpFor, topic)) {
          throw new UsageError(`No help on that topic${didYouMean(topic, Object.keys(helpFor))}; commands: ${Object.keys(helpFor).join(", ")}.`);
        }
        output.out(topic === undefined ? MAIN_HELP : (helpFor[topic] as string));
        return ExitCode.success;
      }
      case "-v":
      case "--version":
        output.out(SDK_VERSION);
        return ExitCode.success;
      case "acquire-token":
        return await acquireTokenCommand(parseAcquireTokenArguments(args), io, output, signal);
      case "authorize":
        return await authorizeCommand(parseAuthorizeArguments(args), io, output, signal);
      default: {
        throw new UsageError(`Unknown command${didYouMean(command, commands)}; commands: ${commands.join(", ")}.`);
      }
    }
  } catch (error) {
    return reportError(error, output, {
      json,
      command: command !== undefined && Object.hasOwn(helpFor, command) ? command : "",
      interrupted: signal.aborted,
    });
  }
}
