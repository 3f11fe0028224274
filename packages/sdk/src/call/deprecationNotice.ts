import { HeaderNames, type GraphApiVersion } from "../constants.js";
import { betaDeprecation, type BetaDeprecation } from "../generated/betaDeprecation.js";
import type { CallState } from "./callState.js";

/** API versions already warned about in this process: the notice is worth reading once, not per call. */
const warnedVersions = new Set<GraphApiVersion>();

/** What Graph's published description says about each version (generated from the beta fragment). */
const describedDeprecations: Readonly<Partial<Record<GraphApiVersion, BetaDeprecation>>> = betaDeprecation ? { beta: betaDeprecation } : {};

/**
 * Passes Graph's deprecation notice on to the caller, once per process and API version. Graph's
 * beta description marks this action deprecated (its `x-ms-deprecation`: date, removal date,
 * reason), and Graph may announce it on responses with `Deprecation` (RFC 9745: `@<unix seconds>`,
 * or an HTTP date in older services) and `Sunset` (RFC 8594) headers, plus an optional
 * `Link: <…>; rel="deprecation"`. The first answer on a deprecated version logs one warning: the
 * headers' dates where Graph sends them (the live word), the description's otherwise, and the
 * description's reason. After that, answers are not even looked at, unless the call is traced: then every
 * call's span gets the notice as an event.
 */
export function noticeDeprecation(response: { readonly headers: Headers }, context: Pick<CallState, "settings" | "call">): void {
  const { apiVersion, graphUrl } = context.settings;
  const { logger, telemetry } = context.call;
  const warned = warnedVersions.has(apiVersion);
  if (warned && !telemetry.recording) return;
  const deprecation = response.headers.get(HeaderNames.deprecation);
  const sunset = response.headers.get(HeaderNames.sunset);
  const described = describedDeprecations[apiVersion];
  if (deprecation === null && sunset === null && described === undefined) return;

  const since = parseDeprecationDate(deprecation) ?? described?.date;
  const removal = parseHttpDate(sunset) ?? described?.removalDate;
  const link = parseDeprecationLink(response.headers.get(HeaderNames.link)) ?? described?.link;
  telemetry.deprecation(since, removal, link);
  if (warned) return;
  warnedVersions.add(apiVersion);

  const operation = `${apiVersion} synchronization: acquireAccessToken`;
  logger.warning(
    `Microsoft Graph marks ${operation} (${graphUrl}) as deprecated` +
      (since ? ` since ${since}` : "") +
      (removal ? ` and will remove it on ${removal}` : "") +
      "; plan to move off it before then" +
      (described ? ` (Graph's reason: ${described.description.replace(/\.$/, "")})` : "") +
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
