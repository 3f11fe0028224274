import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a presented secret with the stored one in constant time. Both are hashed first so that
 * neither their contents nor their lengths leak through timing.
 */
export function secretsMatch(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
