import { MiddlewareFactory, type Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { ErrorBodyHandler } from "./errorBodyHandler.js";

/**
 * Kiota's default middleware chain with {@link ErrorBodyHandler} outermost, so the status of an
 * error response survives whatever body it came with (it runs after Kiota's own retries).
 * Pass the result to `KiotaClientFactory.create(fetch, middlewares)`.
 */
export function createDefaultMiddlewares(customFetch?: (request: string, init: RequestInit) => Promise<Response>): Middleware[] {
  return [new ErrorBodyHandler(), ...MiddlewareFactory.getDefaultMiddlewares(customFetch)];
}
