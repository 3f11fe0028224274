/**
 * How deeply JSON from a client may nest. Parsing is not linear in nesting: a 3 MB body of nested
 * brackets blocks the event loop for about 1.5 s in V8, for every host at once. No request the
 * emulator serves needs more than a handful of levels; 64 is the default limit of .NET's
 * System.Text.Json, which Graph's own services are built on.
 */
export const maxJsonDepth = 64;

/**
 * Why a text could not be read as JSON; `position` when the parser gave one. The message completes
 * "the body is …" and never quotes the text.
 */
export class UnreadableJsonError extends Error {
  override readonly name = "UnreadableJsonError";
  constructor(
    readonly reason: "syntax" | "depth",
    readonly position?: number,
  ) {
    super(
      reason === "depth"
        ? `nested more than ${maxJsonDepth} levels deep`
        : `not valid JSON${position === undefined ? "" : ` (error at character ${position})`}`,
    );
  }
}

/**
 * `JSON.parse`, refusing text nested deeper than {@link maxJsonDepth} before parsing it (the check
 * is one linear pass), and failing with an error that gives the position of a syntax error but not
 * the text around it, which V8's own message quotes (and which may be a secret).
 */
export function parseBoundedJson(text: string): unknown {
  const tooDeepAt = positionBeyondDepth(text, maxJsonDepth);
  if (tooDeepAt !== undefined) throw new UnreadableJsonError("depth", tooDeepAt);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new UnreadableJsonError("syntax", position === undefined ? undefined : Number(position));
  }
}

/** Where the text first opens more than `limit` arrays or objects at once, outside strings. */
function positionBeyondDepth(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c /* \ */) index += 1;
      else if (code === 0x22 /* " */) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      depth += 1;
      if (depth > limit) return index;
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) {
      depth -= 1;
    }
  }
  return undefined;
}
