// The headers of the RequestInit Kiota hands the middleware, read and written whatever their shape.

/** Kiota's adapter passes headers as a plain object with lower-case names; other shapes are handled too. */
export function getHeader(requestInit: RequestInit, name: string): string | undefined {
  const headers = requestInit.headers;
  if (headers === undefined || headers === null) return undefined;
  if (headers instanceof Headers || Array.isArray(headers)) return new Headers(headers).get(name) ?? undefined;
  return (headers as Record<string, string | undefined>)[name];
}

export function setHeader(requestInit: RequestInit, name: string, value: string): void {
  const headers = requestInit.headers;
  if (headers === undefined || headers === null) {
    requestInit.headers = { [name]: value };
  } else if (headers instanceof Headers) {
    headers.set(name, value);
  } else if (Array.isArray(headers)) {
    const copy = new Headers(headers);
    copy.set(name, value);
    requestInit.headers = copy;
  } else {
    (headers as Record<string, string>)[name] = value;
  }
}
