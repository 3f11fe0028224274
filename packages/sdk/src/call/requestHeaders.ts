import type { RequestOption } from "@microsoft/kiota-abstractions";
import { appendRequestHeader, getRequestHeader, setRequestHeader, type FetchRequestInit, type Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { HeaderNames, SDK_NAME, SDK_VERSION } from "../constants.js";
import { callStateOf } from "./callState.js";

const USER_AGENT = `${SDK_NAME}/${SDK_VERSION}`;

/**
 * Headers and ids, the first link of the chain (call/pipeline.ts): appends the SDK to the
 * User-Agent, as Kiota's UserAgentHandler would, and sets the call's `client-request-id`. Both go on
 * the RequestInit every attempt reuses, so every attempt of a call carries the same id. Kiota's
 * adapter builds its headers as a plain object with lower-case names, which Kiota's helpers read
 * and write (rather than Kiota's request headers, a case-insensitive Proxy slow to fill and read).
 */
export class RequestHeadersHandler implements Middleware {
  /** The next link of the chain. */
  next: Middleware | undefined;

  /** Adds the headers, then hands the request on. */
  execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const init = requestInit as FetchRequestInit;
    if (!getRequestHeader(init, "user-agent")?.includes(USER_AGENT)) appendRequestHeader(init, "user-agent", USER_AGENT, " ");
    const state = callStateOf(requestOptions);
    if (state) setRequestHeader(init, HeaderNames.clientRequestId, state.call.clientRequestId);
    return (this.next as Middleware).execute(url, requestInit, requestOptions);
  }
}
