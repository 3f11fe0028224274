import type { IncomingMessage } from "node:http";
import { mediaTypeOf, readRequestBody, RequestBodyTooLargeError } from "../http/incomingRequest.js";
import { entraErrors } from "./loginErrors.js";

const maxTokenRequestInBytes = 64 * 1024;

/** Reads a token or device code request's form; Entra reads only form bodies. */
export async function readOAuthForm(request: IncomingMessage): Promise<URLSearchParams> {
  let body: Buffer;
  try {
    body = await readRequestBody(request, maxTokenRequestInBytes);
  } catch (error) {
    if (error instanceof RequestBodyTooLargeError) throw entraErrors.bodyTooLarge(error.limitInBytes);
    throw error;
  }
  // Anything but a form reads as a request without parameters.
  return mediaTypeOf(request.headers["content-type"]) === "application/x-www-form-urlencoded"
    ? new URLSearchParams(body.toString("utf8"))
    : new URLSearchParams();
}
