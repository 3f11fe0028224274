import { createHash, KeyObject, webcrypto } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type * as X509 from "@peculiar/x509";
import type { JWK } from "jose";
import { exportJWK } from "jose/key/export";
import type { EmulatorClock } from "../clock.js";
import { writeFileAtomically } from "../state/atomicFile.js";
import { loadX509 } from "../tls/x509Library.js";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const rsaAlgorithm = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
} as const;
const keyLifetimeInMs = 5 * 365 * 24 * 60 * 60 * 1000;
/** The private key's file, in the keys directory. */
export const signingKeyFileName = "signing-key.pem";
const certificateFileName = "signing-cert.pem";

/** The RSA key the login host signs access tokens with, and its published form. */
export interface SigningKey {
  /** Key id: the certificate's SHA-1 thumbprint, base64url, which is how Entra names its keys. */
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The JWKS entry: `kty`, `use`, `kid`, `x5t`, `n`, `e`, `x5c`. */
  publicJwk: JWK;
}

/**
 * Loads the token signing key from `directory`, or creates one (an RSA 2048 key with a self-signed
 * certificate, like the keys Entra publishes). Without a directory the key lives in memory only, so
 * tokens from an earlier run are not accepted.
 */
export async function loadOrCreateSigningKey(options: { directory?: string; clock: EmulatorClock }): Promise<SigningKey> {
  const { directory, clock } = options;
  if (directory) {
    const saved = await readSavedKey(directory);
    if (saved) return describeKey(saved.keys, saved.certificate);
  }
  // RSA generation takes tens to hundreds of milliseconds on the thread pool: start it before loading
  // the certificate library, so that the two overlap.
  const generating = webcrypto.subtle.generateKey(rsaAlgorithm, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
  const [keys, x509] = await Promise.all([generating, loadX509()]);
  const now = clock();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=graph-sync emulator token signing",
    notBefore: new Date(now - 24 * 60 * 60 * 1000),
    notAfter: new Date(now + keyLifetimeInMs),
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    keys,
  });
  if (directory) {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const keyPem = KeyObject.from(keys.privateKey).export({ type: "pkcs8", format: "pem" }).toString();
    await writeFileAtomically(join(directory, signingKeyFileName), keyPem);
    await writeFileAtomically(join(directory, certificateFileName), `${certificate.toString("pem")}\n`, { mode: 0o644 });
  }
  return describeKey(keys, certificate);
}

async function describeKey(keys: CryptoKeyPair, certificate: X509.X509Certificate): Promise<SigningKey> {
  const kid = createHash("sha1").update(new Uint8Array(certificate.rawData)).digest("base64url");
  const { kty, n, e } = await exportJWK(keys.publicKey);
  const publicJwk: JWK = {
    kty,
    use: "sig",
    kid,
    x5t: kid,
    n,
    e,
    x5c: [Buffer.from(certificate.rawData).toString("base64")],
  };
  return { kid, privateKey: keys.privateKey, publicKey: keys.publicKey, publicJwk };
}

async function readSavedKey(
  directory: string,
): Promise<{ keys: CryptoKeyPair; certificate: X509.X509Certificate } | undefined> {
  let keyPem: string;
  let certificatePem: string;
  try {
    [keyPem, certificatePem] = await Promise.all([
      readFile(join(directory, signingKeyFileName), "utf8"),
      readFile(join(directory, certificateFileName), "utf8"),
    ]);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
  const x509 = await loadX509();
  const certificate = new x509.X509Certificate(certificatePem);
  const importAlgorithm = { name: rsaAlgorithm.name, hash: rsaAlgorithm.hash };
  const privateKey = await webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(keyPem), importAlgorithm, true, [
    "sign",
  ]);
  const publicKey = await certificate.publicKey.export(importAlgorithm, ["verify"]);
  return { keys: { privateKey, publicKey: publicKey as CryptoKey }, certificate };
}
