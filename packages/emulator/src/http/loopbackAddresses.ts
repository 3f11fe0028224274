const ipv4Loopback = /^127(\.\d{1,3}){3}$/;

/** True for the address of a peer on this machine: 127.0.0.0/8, `::1`, or 127.x mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const unmapped = address.toLowerCase().replace(/^::ffff:/, "");
  return unmapped === "::1" || ipv4Loopback.test(unmapped);
}

/** True for a host name that can only reach this machine: `localhost`, 127.0.0.0/8 or `[::1]`. */
export function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return bare === "localhost" || isLoopbackAddress(bare);
}
