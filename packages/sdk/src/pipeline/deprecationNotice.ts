import { HeaderNames, type GraphApiVersion } from "../constants.js";
import type { CallContext } from "./callContext.js";

/** API versions already warned about in this process: the notice is worth reading once, not per call. */
const warnedVersions = new Set<GraphApiVersion>();

/**
 * Passes Graph's deprecation notice on to the caller. Graph marks this action deprecated on beta
 * and announces it with `Deprecation` (RFC 9745: `@<unix seconds>`, or an HTTP date in older
 * services) and `Sunset` (RFC 8594: the HTTP date of removal) headers, plus an optional
 * `Link: <…>; rel="deprecation"`. The first such answer in the process logs one warning with the
 * removal date; after that, answers are not even looked at, unless the call is traced: then every
 * call's span gets the notice as an event.
 */
export function noticeDeprecation(response: Response, context: CallContext): void {
  const warned = warnedVersions.has(context.apiVersion);
  if (warned && !context.telemetry.recording) return;
  const deprecation = response.headers.get(HeaderNames.deprecation);
  const sunset = response.headers.get(HeaderNames.sunset);
  if (deprecation === null && sunset === null) return;

  const since = parseDeprecationDate(deprecation);
  const removal = parseHttpDate(sunset);
  const link = parseDeprecationLink(response.headers.get(HeaderNames.link));
  context.telemetry.deprecation(since, removal, link);
  if (warned) return;
  warnedVersions.add(context.apiVersion);

  const operation = `${context.apiVersion} synchronization: acquireAccessToken`;
  context.logger.warning(
    `Microsoft Graph marks ${operation} (${context.graphUrl}) as deprecated` +
      (since ? ` since ${since}` : "") +
      (removal ? ` and will remove it on ${removal}` : "") +
      "; plan to move off it before then" +
      (context.apiVersion === "beta"
        ? " (Graph's reason: the OAuth authorization-code grant this action relies on is being retired; v1.0 carries no such notice yet)"
        : "") +
      (link ? `. Details: ${link}` : "") +
      ".",
  );
}

/** RFC 9745 `@1767225600`, or an HTTP date; `true` (an old draft) says nothing about the date. */
function parseDeprecationDate(value: string | null): string | undefined {
  if (value === null) return undefined;
  const structured = /^@(-?\d+)$/.exec(value.trim());
  if (structured?.[1] !== undefined) return isoDate(Number(structured[1]) * 1000);
  return parseHttpDate(value);
}

function parseHttpDate(value: string | null): string | undefined {
  if (value === null || !/[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : isoDate(at);
}

function isoDate(epochInMs: number): string | undefined {
  const date = new Date(epochInMs);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

function parseDeprecationLink(value: string | null): string | undefined {
  if (value === null) return undefined;
  for (const part of value.split(",")) {
    const match = /<([^>]+)>\s*;.*\brel="?deprecation"?/i.exec(part);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
