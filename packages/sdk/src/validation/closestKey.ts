import { distance } from "fastest-levenshtein";

/** The longest synchronization secret key has 31 characters; a typo of one is not much longer. */
const MAX_COMPARED_LENGTH = 64;

/**
 * The candidate closest to `name`, for "did you mean" hints: a case-insensitive match first
 * (`oauth2authorizationcode`), then the smallest edit distance if it is small enough to be a typo
 * rather than a different word.
 */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  // Far longer than any candidate is no typo of one; and the edit distance costs length × length.
  if (name.length > MAX_COMPARED_LENGTH) return undefined;
  const lower = name.toLowerCase();
  const sameLetters = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

/**
 * `name` as it may be shown in a message: only when it is one of the candidates or a typo of one.
 * Anything else the caller typed where a name was expected might be a secret put in the wrong
 * place (a code pasted as a key name, a command, an option), so it is not echoed.
 */
export function showableName(name: string, candidates: readonly string[]): string | undefined {
  return candidates.includes(name) || closestMatch(name, candidates) !== undefined ? name : undefined;
}
