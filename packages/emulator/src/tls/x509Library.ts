import { webcrypto } from "node:crypto";
import type * as X509 from "@peculiar/x509";

let loading: Promise<typeof X509> | undefined;

/**
 * Loads @peculiar/x509, ready to use. It is the largest library the emulator uses (with its ASN.1
 * stack), so it is loaded on first use rather than with the package: a start begins generating its
 * keys on the thread pool first, and loading the library overlaps with that.
 */
export function loadX509(): Promise<typeof X509> {
  loading ??= (async () => {
    // @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect
    // metadata polyfill loaded first (see the library's README, "Reflect Polyfill Required").
    await import("reflect-metadata");
    const x509 = await import("@peculiar/x509");
    // It signs and verifies through a registered WebCrypto provider; Node's implementation is complete.
    x509.cryptoProvider.set(webcrypto as ReturnType<typeof x509.cryptoProvider.get>);
    return x509;
  })();
  return loading;
}
