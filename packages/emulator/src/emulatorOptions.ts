import type { AdminClient } from "./admin/adminClient.js";
import type { EmulatorClock } from "./clock.js";
import type { AccessConfig } from "./accessConfig.js";
import type { ConnectionLimits } from "./http/connectionLimits.js";
import type { FaultConfigInput } from "./faults/faultConfig.js";
import type { EmulatorLogger } from "./logger.js";
import type { SeedRequest } from "./state/seed.js";
import type { ThrottlingConfig } from "./throttling/throttlingConfig.js";

/** How to start an emulator. Every field is optional; ports default to 0 (a free port). */
export interface EmulatorOptions {
  /** Graph, plain HTTP on 127.0.0.1 (Kiota accepts http for loopback). */
  port?: number;
  /** Graph again, over HTTPS with the local CA, for clients that insist on https (the legacy Graph client). */
  graphHttpsPort?: number;
  /** Entra ID login host, HTTPS (MSAL and @azure/identity refuse http authorities). */
  loginPort?: number;
  /** Admin API, HTTP on 127.0.0.1. */
  adminPort?: number;
  /** The emulated OAuth provisioning target (authorization server), HTTP on 127.0.0.1. */
  targetPort?: number;
  /** Keep state, keys and certificates here across restarts; in memory when absent. */
  dataDir?: string;
  /** Seed the demo tenant into a new state (default true); a saved state is never re-seeded. */
  seedDemo?: boolean;
  /**
   * Objects to create or replace at every start, after the demo tenant (as `POST /seed` would):
   * apps with any permissions, users with directory roles, ownership. Part of the state `reset`
   * returns to.
   */
  seed?: SeedRequest;
  /** Per app+tenant limit; default on with Graph's small-tenant identity limit (3,500 per 10 s). */
  throttling?: Partial<ThrottlingConfig>;
  /** Injected faults; default none. */
  faults?: FaultConfigInput;
  /**
   * How permission refusals are answered (default 401 `UnknownError`, as users report from the
   * synchronization service) and whether device codes are approved at once as a given user.
   */
  access?: Partial<AccessConfig>;
  /** Lifetime of device codes; default 900 s, Entra's. */
  deviceCodeLifetimeInSeconds?: number;
  /** The polling interval device codes ask for (polling faster gets `slow_down`); default 5 s, Entra's. */
  deviceCodePollingIntervalInSeconds?: number;
  /** Receives log lines (never secret values); default silent. */
  logger?: EmulatorLogger;
  /** The time source, for tests that move time forward; default the wall clock. */
  clock?: EmulatorClock;
  /** Largest Graph request body accepted before 413; default 4 MiB, Graph's limit. */
  maxRequestBodyInBytes?: number;
  /**
   * The target redirects back with a code at once instead of showing its consent page (default
   * false: a person who opens the authorize URL sees the page and chooses Allow or Deny).
   */
  autoConsent?: boolean;
  /** Lifetime of the target's authorization codes; default 600 s. */
  authorizationCodeLifetimeInSeconds?: number;
  /** How long the Graph side waits for the target's token endpoint; default 10 s. */
  codeExchangeTimeoutInMs?: number;
  /**
   * How long a client may take to send its request headers (default 10 000 ms), its whole request
   * (30 000 ms) and, on the HTTPS hosts, its TLS handshake (10 000 ms) before the connection is closed.
   */
  connectionLimits?: Partial<ConnectionLimits>;
  /** How many requests the request log keeps; default 10,000. */
  requestLogCapacity?: number;
}

/** The demo objects' OAuth client at the emulated provisioning target. */
export interface TargetFacts {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /**
   * A complete authorize URL: open it in a browser and choose Allow on the consent page (with
   * auto-consent, a GET answers 302 at once), then read `code` from the redirect's Location.
   */
  authorizationRequestUrl: string;
}

/**
 * What a running emulator tells its users; the CLI prints exactly this as its JSON line. The demo
 * fields are empty strings when the state has no demo tenant (`seedDemo: false` on a new state).
 */
export interface EmulatorFacts {
  graphUrl: string;
  graphHttpsUrl: string;
  loginUrl: string;
  adminUrl: string;
  targetUrl: string;
  caCertPath: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  servicePrincipalId: string;
  applicationId: string;
  /**
   * The demo tenant's administrator (Cloud Application Administrator), who can approve device code
   * sign-ins of the demo app (`clientId`): `admin.approveDeviceCode(userCode, adminUserPrincipalName)`.
   */
  adminUserPrincipalName: string;
  target: TargetFacts;
  howToGetAuthorizationCode: string;
}

/** A started emulator. */
export interface RunningEmulator extends EmulatorFacts {
  /** The CA certificate (PEM) that signed the login host's certificate. */
  caCertPem: string;
  /** A typed client of this emulator's admin API. */
  admin: AdminClient;
  /**
   * A fresh single-use authorization code from the target registered for `objectId` (an
   * application or service principal id; default the demo service principal), obtained by driving
   * the target's authorize endpoint over HTTP.
   */
  getAuthorizationCode(objectId?: string): Promise<string>;
  /** Stops every server and ends open connections; removes temporary files. Safe to call twice. */
  close(): Promise<void>;
}
