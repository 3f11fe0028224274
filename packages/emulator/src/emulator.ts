import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminClient } from "./admin/adminClient.js";
import { createAdminRequestHandler, type ResetTarget } from "./admin/adminRequestHandler.js";
import { systemClock } from "./clock.js";
import type { EmulatorFacts, EmulatorOptions, RunningEmulator, TargetFacts } from "./emulatorOptions.js";
import { resolveFaultConfig } from "./faults/faultConfig.js";
import { injectingFaults } from "./faults/faultInjection.js";
import { FaultInjector } from "./faults/faultInjector.js";
import { GraphError, renderGraphError } from "./graph/errors.js";
import { createGraphRequestContext } from "./graph/graphRequestContext.js";
import { createGraphFaultRenderer, createGraphRequestHandler } from "./graph/graphRequestHandler.js";
import { loadOpenApiFragment } from "./graph/openApiFragment.js";
import { closeServer, listenOnLoopback } from "./http/loopbackServer.js";
import { answerMalformedRequests } from "./http/malformedRequests.js";
import { silentLogger } from "./log/logger.js";
import { recordingRequests, RequestLog } from "./log/requestLog.js";
import { createEntraRequestContext, EntraError, renderEntraError } from "./login/entraErrors.js";
import { createLoginFaultRenderer, createLoginRequestHandler } from "./login/loginRequestHandler.js";
import { lockDataDirectory } from "./state/dataDirectoryLock.js";
import { seedDemoTenant } from "./state/demoTenant.js";
import { emptyStateDocument } from "./state/model.js";
import { applySeed } from "./state/seed.js";
import { EmulatorStore } from "./state/store.js";
import { authorizationRequestUrl, requestAuthorizationCode } from "./target/authorizationCodeRequest.js";
import { createTargetRequestHandler } from "./target/targetRequestHandler.js";
import { ResourceUnitLimiter } from "./throttling/resourceUnitLimiter.js";
import { resolveThrottlingConfig } from "./throttling/throttlingConfig.js";
import { loadOrCreateTlsMaterial } from "./tls/certificateAuthority.js";
import { loadOrCreateSigningKey } from "./tokens/signingKey.js";

const defaults = {
  maxRequestBodyInBytes: 4 * 1024 * 1024,
  authorizationCodeLifetimeInSeconds: 600,
  codeExchangeTimeoutInMs: 10_000,
  requestLogCapacity: 10_000,
} as const;

/**
 * Starts the emulator: the Graph host (HTTP, plus an HTTPS twin), the Entra login host (HTTPS with
 * a local CA), the admin API and the emulated provisioning target, all on 127.0.0.1. Resolves once
 * every server listens and the state is loaded (and seeded, for a new state).
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const dataDir = options.dataDir;
    if (dataDir) cleanups.push(await lockDataDirectory(dataDir));

    const store = await EmulatorStore.open(dataDir);
    // Only a new state is seeded: a saved one is the user's, even if they emptied it.
    if (options.seedDemo !== false && store.isFresh) seedDemoTenant(store, clock);
    await store.persist();
    const initialState = store.toDocument();

    const signingKey = await loadOrCreateSigningKey({ ...(dataDir ? { directory: join(dataDir, "keys") } : {}), clock });
    let tlsDirectory: string;
    if (dataDir) {
      tlsDirectory = join(dataDir, "tls");
    } else {
      tlsDirectory = await mkdtemp(join(tmpdir(), "graph-sync-emulator-"));
      cleanups.push(() => rm(tlsDirectory, { recursive: true, force: true }));
    }
    const tls = await loadOrCreateTlsMaterial({ directory: tlsDirectory, persistKeys: dataDir !== undefined, clock });
    const fragment = loadOpenApiFragment();

    let throttling = resolveThrottlingConfig(options.throttling);
    const limiter = new ResourceUnitLimiter(() => throttling, clock);
    const injector = new FaultInjector(resolveFaultConfig(options.faults));
    const requestLog = new RequestLog(options.requestLogCapacity ?? defaults.requestLogCapacity);

    const urls = { graph: "", graphHttps: "", login: "", admin: "", target: "" };
    const recording = { requestLog, logger, clock };

    const graphHandler = recordingRequests(
      "graph",
      injectingFaults(
        "graph",
        createGraphRequestHandler({
          store,
          clock,
          logger,
          signingKey,
          fragment,
          limiter,
          throttling: () => throttling,
          loginUrl: () => urls.login,
          targetUrl: () => urls.target,
          maxRequestBodyInBytes: options.maxRequestBodyInBytes ?? defaults.maxRequestBodyInBytes,
          codeExchangeTimeoutInMs: options.codeExchangeTimeoutInMs ?? defaults.codeExchangeTimeoutInMs,
        }),
        { injector, renderError: createGraphFaultRenderer({ fragment, clock }) },
      ),
      recording,
    );
    const loginHandler = recordingRequests(
      "login",
      injectingFaults(
        "login",
        createLoginRequestHandler({ store, clock, logger, signingKey, loginUrl: () => urls.login, graphUrl: () => urls.graph }),
        { injector, renderError: createLoginFaultRenderer({ clock, loginUrl: () => urls.login }) },
      ),
      recording,
    );
    const targetHandler = recordingRequests(
      "target",
      createTargetRequestHandler({
        store,
        clock,
        baseUrl: () => urls.target,
        authorizationCodeLifetimeInSeconds:
          options.authorizationCodeLifetimeInSeconds ?? defaults.authorizationCodeLifetimeInSeconds,
      }),
      recording,
    );
    const adminHandler = createAdminRequestHandler({
      store,
      requestLog,
      logger,
      seed: async (request) => {
        const result = applySeed(store, request, clock);
        await store.persist();
        return result;
      },
      reset: async (to: ResetTarget) => {
        store.replaceAll(to === "initial" ? initialState : emptyStateDocument());
        requestLog.clear();
        limiter.clear();
        await store.persist();
      },
      throttling: {
        get: () => ({ ...throttling }),
        set: (config) => {
          throttling = config;
          limiter.clear();
        },
      },
      faults: { get: () => injector.current, set: (config) => injector.configure(config) },
    });

    const tlsOptions = { key: tls.serverKeyPem, cert: tls.serverCertificatePem };
    const graphServer = createHttpServer(graphHandler);
    const graphHttpsServer = createHttpsServer(tlsOptions, graphHandler);
    const loginServer = createHttpsServer(tlsOptions, loginHandler);
    // Even requests Node cannot parse get an answer in the host's own error format.
    for (const server of [graphServer, graphHttpsServer]) {
      answerMalformedRequests(server, (status, message) =>
        renderGraphError(new GraphError(status, "BadRequest", message), createGraphRequestContext(undefined), clock()),
      );
    }
    answerMalformedRequests(loginServer, (status, message) =>
      renderEntraError(new EntraError(status, "invalid_request", undefined, message), createEntraRequestContext(undefined), clock(), urls.login),
    );
    const servers: Array<{ server: Server; port: number | undefined; url: (port: number) => void }> = [
      { server: graphServer, port: options.port, url: (port) => (urls.graph = `http://127.0.0.1:${port}`) },
      { server: graphHttpsServer, port: options.graphHttpsPort, url: (port) => (urls.graphHttps = `https://localhost:${port}`) },
      { server: loginServer, port: options.loginPort, url: (port) => (urls.login = `https://localhost:${port}`) },
      { server: createHttpServer(adminHandler), port: options.adminPort, url: (port) => (urls.admin = `http://127.0.0.1:${port}`) },
      { server: createHttpServer(targetHandler), port: options.targetPort, url: (port) => (urls.target = `http://127.0.0.1:${port}`) },
    ];
    for (const { server, port, url } of servers) {
      url(await listenOnLoopback(server, port ?? 0));
      cleanups.push(() => closeServer(server));
    }

    const admin = new AdminClient(urls.admin);
    const facts = describeFacts(
      store,
      urls,
      tls.caCertificatePath,
      options.authorizationCodeLifetimeInSeconds ?? defaults.authorizationCodeLifetimeInSeconds,
    );
    logger(`emulator ready: graph ${urls.graph}, login ${urls.login}, admin ${urls.admin}, target ${urls.target}`);

    let closing: Promise<void> | undefined;
    return {
      ...facts,
      caCertPem: tls.caCertificatePem,
      admin,
      getAuthorizationCode: async (objectId?: string) => {
        const id = objectId ?? store.demoFacts?.servicePrincipalId;
        if (!id) throw new Error("No object id given and the state has no demo tenant.");
        const object =
          store.findSynchronizationObjectAnyTenant("servicePrincipal", id) ?? store.findSynchronizationObjectAnyTenant("application", id);
        if (!object) throw new Error(`No application or service principal '${id}'.`);
        const client = object.targetClientId ? store.findTargetClient(object.targetClientId) : undefined;
        const redirectUri = client?.redirectUris[0];
        if (!client || !redirectUri) throw new Error(`'${id}' has no provisioning target registered.`);
        return requestAuthorizationCode(urls.target, { clientId: client.clientId, redirectUri });
      },
      close: () => {
        closing ??= cleanUp().then(() => logger("emulator stopped"));
        return closing;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function describeFacts(
  store: EmulatorStore,
  urls: { graph: string; graphHttps: string; login: string; admin: string; target: string },
  caCertPath: string,
  codeLifetimeInSeconds: number,
): EmulatorFacts {
  const demo = store.demoFacts;
  const clientApplication = demo ? store.findClientApplication(demo.tenantId, demo.clientId) : undefined;
  const targetClient = demo ? store.findTargetClient(demo.targetClientId) : undefined;
  const redirectUri = targetClient?.redirectUris[0] ?? "";
  const target: TargetFacts = {
    authorizeUrl: `${urls.target}/authorize`,
    tokenUrl: `${urls.target}/token`,
    clientId: targetClient?.clientId ?? "",
    clientSecret: targetClient?.clientSecret ?? "",
    redirectUri,
    authorizationRequestUrl: targetClient
      ? authorizationRequestUrl(urls.target, { clientId: targetClient.clientId, redirectUri, state: "demo" })
      : "",
  };
  return {
    graphUrl: urls.graph,
    graphHttpsUrl: urls.graphHttps,
    loginUrl: urls.login,
    adminUrl: urls.admin,
    targetUrl: urls.target,
    caCertPath,
    tenantId: demo?.tenantId ?? "",
    clientId: demo?.clientId ?? "",
    clientSecret: clientApplication?.secrets[0]?.value ?? "",
    servicePrincipalId: demo?.servicePrincipalId ?? "",
    applicationId: demo?.applicationId ?? "",
    target,
    howToGetAuthorizationCode:
      "GET target.authorizationRequestUrl without following redirects: the target consents on its own and answers 302 " +
      "to the redirect URI with ?code=...&state=...; " +
      `the code is single-use and expires after ${codeLifetimeInSeconds} s. ` +
      "Programmatically: emulator.getAuthorizationCode(objectId).",
  };
}
