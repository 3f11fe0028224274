/**
 * The media type of a Content-Type header without parameters, lower-cased
 * (`application/json; charset=utf-8` → `application/json`), or `undefined` when there is none.
 */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const essence = contentType?.split(";", 1)[0]?.trim().toLowerCase();
  return essence ? essence : undefined;
}
