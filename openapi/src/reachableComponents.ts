import type { OpenApiDocument } from "./sliceDescription.ts";

/**
 * Removes every component the paths do not reach. Redocly's `remove-unused-components` has already
 * run; this pass exists for the one thing it keeps on purpose: any schema whose `allOf` refers to a
 * schema with a `discriminator`, so that the subtypes of a polymorphic base survive. In Graph's
 * description `microsoft.graph.entity` has a discriminator whose mapping names every entity type,
 * so that rule alone keeps thousands of unrelated types (and entity with them) in a slice that
 * never mentions an entity. Kiota's `--include-path` follows references from the kept paths, and
 * from a reached schema's discriminator mapping, and nothing else; so does this.
 */
export function removeUnreachableComponents(document: OpenApiDocument): void {
  const components = document.components ?? {};
  const reached = new Set<string>();
  const pending: unknown[] = [document.paths];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
    } else if (typeof node === "object" && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        const targets = key === "$ref" && typeof value === "string" ? [value]
          : key === "mapping" && typeof value === "object" && value !== null ? Object.values(value).filter((v) => typeof v === "string")
          : [];
        for (const target of targets) {
          const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(target);
          if (!match || reached.has(target)) continue;
          reached.add(target);
          pending.push(components[match[1]!]?.[decodePointerToken(match[2]!)]);
        }
        if (targets.length === 0) pending.push(value);
      }
    }
  }
  for (const [section, entries] of Object.entries(components)) {
    // Security schemes are named by security requirements, not referenced.
    if (section === "securitySchemes") continue;
    for (const name of Object.keys(entries)) {
      if (!reached.has(`#/components/${section}/${encodePointerToken(name)}`)) delete entries[name];
    }
    if (Object.keys(entries).length === 0) delete components[section];
  }
}

function decodePointerToken(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}

function encodePointerToken(name: string): string {
  return name.replaceAll("~", "~0").replaceAll("/", "~1");
}
