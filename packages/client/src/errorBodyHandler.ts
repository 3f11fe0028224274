import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { MAX_ERROR_BODY_BYTES, readBoundedBody, withBoundedBody } from "./boundedBody.js";

/**
 * A Kiota middleware that keeps an error response's HTTP status from being lost.
 *
 * The generated client maps every 4XX/5XX to `ODataError` by parsing the body as JSON. When the
 * body is empty, HTML (a proxy or gateway page) or broken JSON, Kiota's adapter throws a generic
 * parse error instead, and the status code and headers are gone ("no response content type found
 * for deserialization"). This handler sits before the network and rewrites only those responses
 * into Graph's error envelope, so the generated mapping still produces an `ODataError` carrying
 * `responseStatusCode`, `responseHeaders` and a message that says what the server really sent.
 * Well-formed Graph errors and all successful responses pass through otherwise untouched.
 *
 * Bodies are read with a limit (MAX_ERROR_BODY_BYTES), so a hostile or broken server cannot make
 * the caller buffer gigabytes: an error body beyond it is cut off there and reported as too large;
 * a success body (which Kiota drains, unread, for this no-content action) ends there.
 */
export class ErrorBodyHandler implements Middleware {
  /**
   * The middleware this one passes requests to; Kiota's HttpClient links the chain it is given. It must
   * be set: this handler only rewrites answers, so it cannot be the last one (which sends).
   */
  next: Middleware | undefined;

  /**
   * Passes the request on unchanged and returns the answer: a success with its body bounded, an
   * error with a usable Graph error body either as it came or, when its body was empty, not JSON,
   * not Graph's error format or over MAX_ERROR_BODY_BYTES, rebuilt as Graph's error envelope with
   * the same status and headers. Throws when `next` is not set.
   */
  async execute(
    url: string,
    requestInit: RequestInit,
    requestOptions?: Record<string, RequestOption>,
  ): Promise<Response> {
    if (!this.next) throw new Error("ErrorBodyHandler must not be the last middleware in the chain");
    const response = await this.next.execute(url, requestInit, requestOptions);
    // Kiota drains the body of an answer it does not parse: at most MAX_ERROR_BODY_BYTES of it.
    if (response.status < 400) return withBoundedBody(response, MAX_ERROR_BODY_BYTES);

    const { bytes, truncated } = await readBoundedBody(response.body, MAX_ERROR_BODY_BYTES);
    const body = utf8.decode(bytes);
    const problem = truncated
      ? { code: "oversizedErrorBody" as const, description: `with a body larger than ${MAX_ERROR_BODY_BYTES / 1024 / 1024} MiB (only that much was read)` }
      : describeUnusableErrorBody(response.headers.get("content-type"), body);
    if (!problem) return rebuild(response, body, response.headers);

    const headers = new Headers(response.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    const envelope = {
      error: {
        code: problem.code,
        message: `The service answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} ${problem.description}.`,
        innerError: {
          "request-id": response.headers.get("request-id") ?? undefined,
          "client-request-id": response.headers.get("client-request-id") ?? undefined,
          date: response.headers.get("date") ? new Date(response.headers.get("date")!).toISOString() : undefined,
        },
      },
    };
    return rebuild(response, JSON.stringify(envelope), headers);
  }
}

/** Stateless when not streaming, so one serves every response. */
const utf8 = new TextDecoder();

interface UnusableErrorBody {
  code: "emptyErrorBody" | "nonJsonErrorBody" | "malformedErrorBody" | "oversizedErrorBody";
  description: string;
}

function describeUnusableErrorBody(contentType: string | null, body: string): UnusableErrorBody | undefined {
  if (body.trim() === "") return { code: "emptyErrorBody", description: "with an empty body" };
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (!mediaType || !/^application\/([\w.+-]+\+)?json$/.test(mediaType)) {
    return { code: "nonJsonErrorBody", description: `with a ${mediaType ?? "untyped"} body instead of JSON` };
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as { error?: unknown }).error === "object") {
      return undefined;
    }
    return { code: "malformedErrorBody", description: "with JSON that is not Graph's error format" };
  } catch {
    return { code: "malformedErrorBody", description: "with a body that is not valid JSON" };
  }
}

function rebuild(original: Response, body: string, headers: Headers): Response {
  const rebuilt = new Response(body, { status: original.status, statusText: original.statusText, headers });
  // Response's constructor cannot set `url`; the adapter and callers read it for diagnostics.
  Object.defineProperty(rebuilt, "url", { value: original.url });
  return rebuilt;
}
