import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { SpecInputError } from "./specError.ts";

/**
 * Graph's v1.0 description is ~40 MB of YAML and beta's larger; anything past this is not one of
 * them, and reading it would only exhaust memory.
 */
export const MAX_DESCRIPTION_BYTES = 256 * 1024 * 1024;

/** How long a download may take in all (the workflow fetches from GitHub's raw content host). */
const DOWNLOAD_TIMEOUT_MS = 180_000;

export interface DescriptionText {
  /** What the user gave: a path or a URL, for messages and the report. */
  source: string;
  text: string;
  /** The SHA-256 of the bytes read (not of the decoded text), lowercase hex. */
  sha256: string;
  /** How many bytes were read. */
  size: number;
}

/** What a description is, for messages: its name and where Graph publishes it. */
export interface DescriptionKind {
  /** "Graph's OpenAPI description (YAML or JSON)" */
  name: string;
  /** Where the weekly workflow takes it from, as a hint after a failed download. */
  published: string;
}

const OPENAPI: DescriptionKind = { name: "Graph's OpenAPI description (YAML or JSON)", published: "msgraph-metadata's openapi/<version>/openapi.yaml" };

/** Reads a description (OpenAPI by default, or the `kind` named) from a file or an http(s) URL, bounded in size and time. */
export async function readDescription(source: string, kind: DescriptionKind = OPENAPI): Promise<DescriptionText> {
  return /^https?:\/\//i.test(source) ? download(source, kind) : readLocal(source, kind);
}

async function readLocal(source: string, kind: DescriptionKind): Promise<DescriptionText> {
  let size: number;
  try {
    const info = await stat(source);
    if (!info.isFile()) throw new SpecInputError(`${source} is not a file: give the path of ${kind.name} or its URL.`);
    size = info.size;
  } catch (error) {
    if (error instanceof SpecInputError) throw error;
    throw new SpecInputError(`Cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? String(error)}): give the path of ${kind.name} or its URL.`);
  }
  if (size > MAX_DESCRIPTION_BYTES) throw tooLarge(source);
  return described(source, await readFile(source));
}

async function download(url: string, kind: DescriptionKind): Promise<DescriptionText> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), redirect: "follow" });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = (error as Error).name === "TimeoutError" ? `no complete answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new SpecInputError(`Cannot download ${url} (${reason}): check the URL and the network, or download it and give the file.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SpecInputError(`Cannot download ${url}: the server answered ${response.status} ${response.statusText}. Check the URL (the workflow uses ${kind.published}).`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (declared > MAX_DESCRIPTION_BYTES) {
    await response.body?.cancel();
    throw tooLarge(url);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response.body ?? []) {
    received += chunk.byteLength;
    if (received > MAX_DESCRIPTION_BYTES) throw tooLarge(url);
    chunks.push(Buffer.from(chunk));
  }
  return described(url, Buffer.concat(chunks));
}

function described(source: string, bytes: Buffer): DescriptionText {
  return { source, text: bytes.toString("utf8"), sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.byteLength };
}

function tooLarge(source: string): SpecInputError {
  return new SpecInputError(`${source} is larger than ${MAX_DESCRIPTION_BYTES / 1024 / 1024} MB, far more than Graph's description: it is not the file you meant.`);
}
