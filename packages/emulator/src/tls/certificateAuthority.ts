import { KeyObject, webcrypto } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type * as X509 from "@peculiar/x509";
import type { EmulatorClock } from "../clock.js";
import { writeFileAtomically } from "../state/atomicFile.js";
import { loadX509 } from "./x509Library.js";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ecdsaP256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const signingAlgorithm = { name: "ECDSA", hash: "SHA-256" } as const;
const dayInMs = 24 * 60 * 60 * 1000;
const caLifetimeInMs = 10 * 365 * dayInMs;
const serverLifetimeInMs = 397 * dayInMs;
/** Re-issue the server certificate when less than this remains, so a long run never sees it expire. */
const serverRenewalMarginInMs = 30 * dayInMs;

/** The names the login host is reached by; the certificate must list all of them. */
export const serverHostNames = { dns: ["localhost"], ip: ["127.0.0.1", "::1"] } as const;

const fileNames = {
  caCertificate: "ca-cert.pem",
  caKey: "ca-key.pem",
  serverCertificate: "server-cert.pem",
  serverKey: "server-key.pem",
} as const;

/** The files in the TLS directory that hold private keys. */
export const privateKeyFileNames = [fileNames.caKey, fileNames.serverKey] as const;

/** The local CA and the login host's certificate it signed. */
export interface TlsMaterial {
  /** PEM of the CA certificate: what clients must trust. */
  caCertificatePem: string;
  /** File holding `caCertificatePem`. */
  caCertificatePath: string;
  serverCertificatePem: string;
  serverKeyPem: string;
}

/**
 * Loads the CA and server certificate from `directory`, creating what is missing or about to
 * expire. With `persistKeys` false (no data directory) only the CA certificate is written, so
 * clients can be pointed at it, and the private keys live in memory only.
 */
export async function loadOrCreateTlsMaterial(options: {
  directory: string;
  persistKeys: boolean;
  clock: EmulatorClock;
}): Promise<TlsMaterial> {
  const { directory, persistKeys, clock } = options;
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = (name: string) => join(directory, name);
  const saved = persistKeys ? await readSavedMaterial(directory) : undefined;
  const now = clock();

  let ca = saved?.ca;
  if (!ca || ca.certificate.notAfter.getTime() - now < serverLifetimeInMs) {
    ca = await createCertificateAuthority(now);
    if (persistKeys) await writeFileAtomically(path(fileNames.caKey), await exportPrivateKeyPem(ca.keys.privateKey));
  }
  const caCertificatePem = ca.certificate.toString("pem");
  await writeFileAtomically(path(fileNames.caCertificate), `${caCertificatePem}\n`, { mode: 0o644 });

  let server = saved?.server;
  const serverStillGood =
    server !== undefined &&
    server.certificate.issuer === ca.certificate.subject &&
    server.certificate.notAfter.getTime() - now > serverRenewalMarginInMs &&
    (await server.certificate.verify({ publicKey: ca.certificate.publicKey, signatureOnly: true }));
  if (!server || !serverStillGood) {
    server = await createServerCertificate(ca, now);
    if (persistKeys) {
      await writeFileAtomically(path(fileNames.serverKey), server.keyPem);
      await writeFileAtomically(path(fileNames.serverCertificate), `${server.certificate.toString("pem")}\n`, {
        mode: 0o644,
      });
    }
  }
  return {
    caCertificatePem: `${caCertificatePem}\n`,
    caCertificatePath: path(fileNames.caCertificate),
    serverCertificatePem: `${server.certificate.toString("pem")}\n`,
    serverKeyPem: server.keyPem,
  };
}

interface CertificateAuthority {
  certificate: X509.X509Certificate;
  keys: { privateKey: CryptoKey; publicKey: CryptoKey };
}

interface ServerCertificate {
  certificate: X509.X509Certificate;
  keyPem: string;
}

async function createCertificateAuthority(now: number): Promise<CertificateAuthority> {
  const keys = (await webcrypto.subtle.generateKey(ecdsaP256, true, ["sign", "verify"])) as CryptoKeyPair;
  const x509 = await loadX509();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=graph-sync emulator local CA, O=graph-sync",
    notBefore: new Date(now - dayInMs),
    notAfter: new Date(now + caLifetimeInMs),
    signingAlgorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, keys };
}

async function createServerCertificate(ca: CertificateAuthority, now: number): Promise<ServerCertificate> {
  const keys = (await webcrypto.subtle.generateKey(ecdsaP256, true, ["sign", "verify"])) as CryptoKeyPair;
  const x509 = await loadX509();
  const certificate = await x509.X509CertificateGenerator.create({
    subject: "CN=localhost",
    issuer: ca.certificate.subject,
    notBefore: new Date(now - dayInMs),
    notAfter: new Date(now + serverLifetimeInMs),
    signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...serverHostNames.dns.map((value) => ({ type: "dns" as const, value })),
        ...serverHostNames.ip.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { certificate, keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

async function readSavedMaterial(
  directory: string,
): Promise<{ ca?: CertificateAuthority; server?: ServerCertificate } | undefined> {
  const read = async (name: string) => {
    try {
      return await readFile(join(directory, name), "utf8");
    } catch (error) {
      if ((error as { code?: unknown }).code === "ENOENT") return undefined;
      throw error;
    }
  };
  const [caCertificatePem, caKeyPem, serverCertificatePem, serverKeyPem] = await Promise.all([
    read(fileNames.caCertificate),
    read(fileNames.caKey),
    read(fileNames.serverCertificate),
    read(fileNames.serverKey),
  ]);
  if (!caCertificatePem || !caKeyPem) return undefined;
  const x509 = await loadX509();
  const caCertificate = new x509.X509Certificate(caCertificatePem);
  const ca: CertificateAuthority = {
    certificate: caCertificate,
    keys: {
      privateKey: await webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(caKeyPem), ecdsaP256, true, [
        "sign",
      ]),
      publicKey: await caCertificate.publicKey.export(ecdsaP256, ["verify"]),
    },
  };
  if (!serverCertificatePem || !serverKeyPem) return { ca };
  return { ca, server: { certificate: new x509.X509Certificate(serverCertificatePem), keyPem: serverKeyPem } };
}

async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return KeyObject.from(key).export({ type: "pkcs8", format: "pem" }).toString();
}
