import { join } from "node:path";

/** The SDK package's folder (its manifest, src/ and the built dist/). */
export const packageRoot = join(import.meta.dirname, "../..");
