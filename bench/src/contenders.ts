// The ways to make the same acquireAccessToken call, each written the way its users would
// write it. Every contender sends the same body to the same URL with a bearer token, and answers
// the same question: "was it a 204?".
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from "node:http";
import { request as httpsRequest, Agent as HttpsAgent } from "node:https";
import { Readable } from "node:stream";
import type { AccessToken, TokenCredential } from "@azure/core-auth";

export const CONTENDERS = ["node:http", "fetch", "graph-client", "kiota", "kiota+undici", "sdk+fetch", "sdk"] as const;
export type ContenderName = (typeof CONTENDERS)[number];

/**
 * Contenders configured differently, measured in a figure of their own: the SDK with OpenTelemetry
 * on (figure 6), and the SDK over a transport built on node:http's keep-alive Agent instead of
 * undici (figure 1, against the minimal server: the alternative to undici, side by side).
 */
export type VariantName = "sdk+otel" | "sdk+node:http";
/** What a measured worker can run. */
export type WorkerContender = ContenderName | VariantName;

/** How a contender authenticates: a token handed to it, or a real client-credentials login. */
export type AuthSetup =
  | { kind: "static"; token: string }
  | { kind: "entra"; loginUrl: string; tenantId: string; clientId: string; clientSecret: string };

export interface ContenderSetup {
  /** Graph's origin, e.g. http://127.0.0.1:1234 (the version is added by each contender). */
  graphOrigin: string;
  /**
   * The same Graph over https, where the target offers it: the legacy Graph client attaches a
   * token only to https URLs, so against a server that checks tokens it must use this one.
   */
  graphHttpsOrigin?: string;
  auth: AuthSetup;
  /** The most calls in flight at once; keep-alive pools are sized to it. */
  concurrency: number;
}

export type AcquireCall = (servicePrincipalId: string, authorizationCode: string) => Promise<void>;

const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

function bodyFor(code: string): string {
  return JSON.stringify({ credentials: [{ key: "Oauth2AuthorizationCode", value: code }] });
}

function actionPath(servicePrincipalId: string): string {
  return `/v1.0/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/acquireAccessToken`;
}

/** A TokenCredential for the static case: what a test double for @azure/identity looks like. */
function staticCredential(token: string): TokenCredential {
  const accessToken: AccessToken = { token, expiresOnTimestamp: Date.now() + 3_600_000 };
  return { getToken: async () => accessToken };
}

async function azureCredential(auth: AuthSetup): Promise<TokenCredential> {
  if (auth.kind === "static") return staticCredential(auth.token);
  const { ClientSecretCredential } = await import("@azure/identity");
  return new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, {
    authorityHost: auth.loginUrl,
    disableInstanceDiscovery: true,
  });
}

const tokenForm = (auth: Extract<AuthSetup, { kind: "entra" }>) =>
  new URLSearchParams({
    grant_type: "client_credentials",
    client_id: auth.clientId,
    client_secret: auth.clientSecret,
    scope: GRAPH_SCOPE,
  }).toString();

/** The floor: node:http with a keep-alive agent, and node:https for the one token request. */
async function createNodeHttpCall(setup: ContenderSetup): Promise<AcquireCall> {
  const token = setup.auth.kind === "static" ? setup.auth.token : await nodeHttpsToken(setup.auth);
  const agent = new HttpAgent({ keepAlive: true, maxSockets: setup.concurrency });
  const origin = new URL(setup.graphOrigin);
  return (servicePrincipalId, code) =>
    new Promise((resolve, reject) => {
      const body = bodyFor(code);
      const outgoing = httpRequest(
        {
          agent,
          host: origin.hostname,
          port: origin.port,
          method: "POST",
          path: actionPath(servicePrincipalId),
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          response.on("end", () =>
            response.statusCode === 204 ? resolve() : reject(new Error(`node:http got HTTP ${response.statusCode}`)),
          );
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
}

function nodeHttpsToken(auth: Extract<AuthSetup, { kind: "entra" }>): Promise<string> {
  return new Promise((resolve, reject) => {
    const form = tokenForm(auth);
    const outgoing = httpsRequest(
      `${auth.loginUrl}/${auth.tenantId}/oauth2/v2.0/token`,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(form) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { access_token?: string };
          answer.access_token ? resolve(answer.access_token) : reject(new Error(`token request got HTTP ${response.statusCode}`));
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(form);
  });
}

/** What a user writes by hand: global fetch for the token and the call. */
async function createFetchCall(setup: ContenderSetup): Promise<AcquireCall> {
  let token: string;
  if (setup.auth.kind === "static") {
    token = setup.auth.token;
  } else {
    const response = await fetch(`${setup.auth.loginUrl}/${setup.auth.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: tokenForm(setup.auth),
    });
    token = ((await response.json()) as { access_token: string }).access_token;
  }
  return async (servicePrincipalId, code) => {
    const response = await fetch(`${setup.graphOrigin}${actionPath(servicePrincipalId)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: bodyFor(code),
    });
    await response.arrayBuffer();
    if (response.status !== 204) throw new Error(`fetch got HTTP ${response.status}`);
  };
}

/** The published Graph client (v3), as its README shows, with its Azure Identity auth provider. */
async function createGraphClientCall(setup: ContenderSetup): Promise<AcquireCall> {
  const { Client } = await import("@microsoft/microsoft-graph-client");
  const { TokenCredentialAuthenticationProvider } = await import(
    "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js"
  );
  const authProvider = new TokenCredentialAuthenticationProvider(await azureCredential(setup.auth), { scopes: [GRAPH_SCOPE] });
  const origin = setup.graphHttpsOrigin ?? setup.graphOrigin;
  const client = Client.initWithMiddleware({
    authProvider,
    baseUrl: `${origin}/`,
    defaultVersion: "v1.0",
    customHosts: new Set([new URL(origin).hostname]),
  });
  return async (servicePrincipalId, code) => {
    await client
      .api(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization/acquireAccessToken`)
      .post(JSON.parse(bodyFor(code)));
  };
}

/**
 * Kiota's default stack with our generated client and nothing of ours around it; with `transport:
 * "undici"`, its HttpClient calls a fetch-compatible function over an undici Pool instead of the
 * global fetch (what a Kiota user would write to get keep-alive without fetch's cost).
 */
async function createKiotaCall(setup: ContenderSetup, transport: "fetch" | "undici" = "fetch"): Promise<AcquireCall> {
  const { FetchRequestAdapter, HttpClient } = await import("@microsoft/kiota-http-fetchlibrary");
  const { AzureIdentityAuthenticationProvider } = await import("@microsoft/kiota-authentication-azure");
  const { createGraphSyncClient } = await import("@graph-sync/client");
  const host = new URL(setup.graphOrigin).hostname;
  const adapter = new FetchRequestAdapter(
    new AzureIdentityAuthenticationProvider(await azureCredential(setup.auth), [GRAPH_SCOPE], undefined, new Set([host])),
    undefined,
    undefined,
    transport === "undici" ? new HttpClient(await undiciFetch(setup)) : undefined,
  );
  adapter.baseUrl = `${setup.graphOrigin}/v1.0`;
  const client = createGraphSyncClient(adapter);
  return (servicePrincipalId, code) =>
    client.servicePrincipals
      .byServicePrincipalId(servicePrincipalId)
      .synchronization.acquireAccessToken.post({ credentials: [{ key: "Oauth2AuthorizationCode", value: code }] });
}

/** A fetch-compatible function over one undici Pool for Graph's origin, sized to the concurrency. */
async function undiciFetch(setup: ContenderSetup): Promise<(input: string, init: RequestInit) => Promise<Response>> {
  const { Pool } = await import("undici");
  const pool = new Pool(setup.graphOrigin, { connections: setup.concurrency });
  return async (input, init) => {
    const url = new URL(input);
    const body = init.body instanceof ArrayBuffer ? new Uint8Array(init.body) : (init.body as string | undefined);
    const answer = await pool.request({
      path: url.pathname + url.search,
      method: init.method as "POST",
      headers: init.headers as Record<string, string>,
      body,
      signal: init.signal ?? undefined,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
    }
    if (answer.statusCode === 204) {
      await answer.body.dump();
      return new Response(null, { status: 204, headers });
    }
    return new Response(await answer.body.arrayBuffer(), { status: answer.statusCode, headers });
  };
}

/** This project's SDK: its own transport (undici), or, as `sdk+fetch`, the global fetch passed in. */
async function createSdkCall(setup: ContenderSetup, transport: "default" | "fetch" = "default"): Promise<AcquireCall> {
  const { createSyncClient } = await import("@graph-sync/sdk");
  const client = createSyncClient({
    credential: await azureCredential(setup.auth),
    baseUrl: setup.graphOrigin,
    ...(transport === "fetch" ? { fetch: (input: string, init: RequestInit) => fetch(input, init) } : {}),
  });
  return async (servicePrincipalId, code) => {
    await client.acquireAccessToken({ servicePrincipalId }, { Oauth2AuthorizationCode: code });
  };
}

/**
 * A fetch-compatible function over node:http's (and node:https's) keep-alive Agent, bounded per
 * origin like the SDK's undici pool, with abort wired through and the body handed on as a stream
 * (the SDK reads it with its byte limits): what the SDK's transport would be without undici.
 */
function nodeHttpFetch(maxSocketsPerOrigin: number): (input: string, init: RequestInit) => Promise<Response> {
  const agents = {
    "http:": new HttpAgent({ keepAlive: true, maxSockets: maxSocketsPerOrigin }),
    "https:": new HttpsAgent({ keepAlive: true, maxSockets: maxSocketsPerOrigin }),
  };
  return (input, init) =>
    new Promise((resolve, reject) => {
      const url = new URL(input);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const body = init.body instanceof ArrayBuffer ? new Uint8Array(init.body) : (init.body as string | Uint8Array | undefined);
      const headers = { ...(init.headers as Record<string, string>), ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }) };
      const outgoing = send(url, { agent: agents[url.protocol as "http:" | "https:"], method: init.method, headers, signal: init.signal ?? undefined }, (answer: IncomingMessage) => {
        const responseHeaders = new Headers();
        for (let index = 0; index < answer.rawHeaders.length; index += 2) responseHeaders.append(answer.rawHeaders[index]!, answer.rawHeaders[index + 1]!);
        const status = answer.statusCode!;
        if (status === 204 || status === 304) {
          answer.resume();
          resolve(new Response(null, { status, headers: responseHeaders }));
        } else {
          resolve(new Response(Readable.toWeb(answer) as ReadableStream<Uint8Array>, { status, statusText: answer.statusMessage, headers: responseHeaders }));
        }
      });
      outgoing.on("error", (error) => reject(init.signal?.aborted ? init.signal.reason : new TypeError("fetch failed", { cause: error })));
      outgoing.end(body);
    });
}

/** The SDK given {@link nodeHttpFetch} as its fetch. */
async function createSdkOverNodeHttpCall(setup: ContenderSetup): Promise<AcquireCall> {
  const { createSyncClient } = await import("@graph-sync/sdk");
  const client = createSyncClient({ credential: await azureCredential(setup.auth), baseUrl: setup.graphOrigin, fetch: nodeHttpFetch(16) });
  return async (servicePrincipalId, code) => {
    await client.acquireAccessToken({ servicePrincipalId }, { Oauth2AuthorizationCode: code });
  };
}

/**
 * The SDK with the OpenTelemetry SDK registered as an application would register it: an
 * AsyncLocalStorage context manager, a tracer provider exporting every span (in memory, so no
 * network is measured) and a meter provider whose reader aggregates every metric.
 */
async function createTracedSdkCall(setup: ContenderSetup): Promise<AcquireCall> {
  const [{ context, metrics, trace }, { AsyncLocalStorageContextManager }, traceSdk, metricsSdk] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/sdk-metrics"),
  ]);
  class PullReader extends metricsSdk.MetricReader {
    protected override async onForceFlush(): Promise<void> {}
    protected override async onShutdown(): Promise<void> {}
  }
  const exporter = new traceSdk.InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new traceSdk.TracerProvider({ spanProcessors: [new traceSdk.SimpleSpanProcessor({ exporter })] }));
  metrics.setGlobalMeterProvider(new metricsSdk.MeterProvider({ readers: [new PullReader()] }));
  const call = await createSdkCall(setup);
  return async (servicePrincipalId, code) => {
    await call(servicePrincipalId, code);
    // Bounded, as an exporter that ships its spans would be.
    if (exporter.getFinishedSpans().length >= 10_000) exporter.reset();
  };
}

export function createContenderCall(name: WorkerContender, setup: ContenderSetup): Promise<AcquireCall> {
  switch (name) {
    case "node:http":
      return createNodeHttpCall(setup);
    case "fetch":
      return createFetchCall(setup);
    case "graph-client":
      return createGraphClientCall(setup);
    case "kiota":
      return createKiotaCall(setup);
    case "kiota+undici":
      return createKiotaCall(setup, "undici");
    case "sdk+fetch":
      return createSdkCall(setup, "fetch");
    case "sdk":
      return createSdkCall(setup);
    case "sdk+otel":
      return createTracedSdkCall(setup);
    case "sdk+node:http":
      return createSdkOverNodeHttpCall(setup);
  }
}

/** The package each contender stands for, for import-time and version reporting. */
export const CONTENDER_PACKAGES: Record<ContenderName, string | undefined> = {
  "node:http": undefined,
  fetch: undefined,
  "graph-client": "@microsoft/microsoft-graph-client",
  kiota: "@microsoft/kiota-http-fetchlibrary",
  // Variants of the two above: the same packages, measured once.
  "kiota+undici": undefined,
  "sdk+fetch": undefined,
  sdk: "@graph-sync/sdk",
};
