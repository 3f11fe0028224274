import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminClient } from "./admin/adminClient.js";
import { createAdminRequestHandler, type ResetTarget } from "./admin/adminRequestHandler.js";
import { wallClock, type EmulatorClock } from "./clock.js";
import type { EmulatorFacts, EmulatorOptions, RunningEmulator, TargetFacts } from "./emulatorOptions.js";
import { resolveFaultConfig } from "./faults/faultConfig.js";
import { injectingFaults } from "./faults/faultInjection.js";
import { FaultInjector } from "./faults/faultInjector.js";
import { GraphError, graphFormat } from "./graph/graphErrors.js";
import { resolveAccessConfig } from "./accessConfig.js";
import { approveDeviceCode, declineDeviceCode } from "./login/deviceCodeFlow.js";
import { DeviceCodeRegistry, summarizeDeviceCode } from "./login/deviceCodes.js";
import { createGraphFaultRenderer, createGraphRequestHandler } from "./graph/graphRequestHandler.js";
import { loadOpenApiFragment } from "./graph/openApiFragment.js";
import { AcquireAccessTokenRequestValidator } from "./graph/requestValidation.js";
import { resolveConnectionLimits, serverOptionsFor } from "./http/connectionLimits.js";
import { closeServer, listenOnLoopback, nodeHttp } from "./http/loopback.js";
import { answerMalformedRequests } from "./http/host.js";
import { silentLogger } from "./logger.js";
import { recordingRequests, RequestLog } from "./http/requestLog.js";
import { EntraError, loginFormat } from "./login/loginErrors.js";
import { createLoginFaultRenderer, createLoginRequestHandler } from "./login/loginRequestHandler.js";
import { lockDataDirectory } from "./state/dataDirectoryLock.js";
import { seedDemoTenant } from "./state/demoTenant.js";
import { emptyStateDocument } from "./state/model.js";
import { applySeed } from "./state/seed.js";
import { keepFilesPrivate } from "./state/privateFiles.js";
import { EmulatorStore, stateFileName } from "./state/store.js";
import { authorizationRequestUrl, requestAuthorizationCode } from "./target/authorizationCodeRequest.js";
import { createTargetRequestHandler } from "./target/targetRequestHandler.js";
import { ResourceUnitLimiter } from "./throttling/resourceUnitLimiter.js";
import { resolveThrottlingConfig } from "./throttling/throttlingConfig.js";
import { loadOrCreateTlsMaterial, privateKeyFileNames, type TlsMaterial } from "./tls/certificateAuthority.js";
import { loadOrCreateSigningKey, signingKeyFileName } from "./tokens/signingKey.js";

const defaults = {
  maxRequestBodyInBytes: 4 * 1024 * 1024,
  authorizationCodeLifetimeInSeconds: 600,
  codeExchangeTimeoutInMs: 10_000,
  requestLogCapacity: 10_000,
  // Entra's device codes live 15 minutes and ask clients to poll every 5 seconds.
  deviceCodeLifetimeInSeconds: 900,
  deviceCodePollingIntervalInSeconds: 5,
} as const;

/**
 * Starts the emulator: the Graph host (HTTP, plus an HTTPS twin), the Entra login host (HTTPS with
 * a local CA), the admin API and the emulated provisioning target, all on 127.0.0.1. Resolves once
 * every server listens and the state is loaded (and seeded, for a new state).
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? wallClock;
  const logger = options.logger ?? silentLogger;
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const serverOptions = serverOptionsFor(resolveConnectionLimits(options.connectionLimits));
    const dataDir = options.dataDir;
    if (dataDir) {
      cleanups.push(await lockDataDirectory(dataDir));
      await keepFilesPrivate(
        [
          join(dataDir, stateFileName),
          join(dataDir, "keys", signingKeyFileName),
          ...privateKeyFileNames.map((name) => join(dataDir, "tls", name)),
        ],
        logger,
      );
    }

    // Independent steps run together: key generation runs on the thread pool (the signing key's
    // first, as RSA takes longest) and file I/O in the background, while this thread loads the
    // certificate library and compiles request validation.
    const [signingKey, tls, store, { fragment, requestValidator }] = await allFinished([
      loadOrCreateSigningKey({ ...(dataDir ? { directory: join(dataDir, "keys") } : {}), clock }),
      prepareTlsMaterial(dataDir, clock, cleanups),
      openStore(dataDir, options.seedDemo !== false, clock),
      (async () => {
        const fragment = await loadOpenApiFragment();
        return { fragment, requestValidator: AcquireAccessTokenRequestValidator.for(fragment) };
      })(),
    ]);
    const startSeed = options.seed;
    if (startSeed) await store.commit(() => applySeed(store, startSeed, clock));
    const initialState = store.toDocument();

    let throttling = resolveThrottlingConfig(options.throttling);
    const limiter = new ResourceUnitLimiter(() => throttling, clock);
    const injector = new FaultInjector(resolveFaultConfig(options.faults));
    const requestLog = new RequestLog(options.requestLogCapacity ?? defaults.requestLogCapacity);
    let access = resolveAccessConfig(options.access);
    const deviceCodes = new DeviceCodeRegistry();

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
          requestValidator,
          limiter,
          throttling: () => throttling,
          access: () => access,
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
        createLoginRequestHandler({
          store,
          clock,
          logger,
          signingKey,
          loginUrl: () => urls.login,
          graphUrl: () => urls.graph,
          deviceCodes,
          autoApproveAs: () => access.autoApproveDeviceCodes,
          deviceCodeLifetimeInSeconds: options.deviceCodeLifetimeInSeconds ?? defaults.deviceCodeLifetimeInSeconds,
          deviceCodePollingIntervalInSeconds: options.deviceCodePollingIntervalInSeconds ?? defaults.deviceCodePollingIntervalInSeconds,
        }),
        { injector, renderError: createLoginFaultRenderer({ clock, loginUrl: () => urls.login }) },
      ),
      recording,
    );
    const targetHandler = recordingRequests(
      "target",
      createTargetRequestHandler({
        store,
        clock,
        logger,
        baseUrl: () => urls.target,
        autoConsent: () => options.autoConsent === true,
        authorizationCodeLifetimeInSeconds:
          options.authorizationCodeLifetimeInSeconds ?? defaults.authorizationCodeLifetimeInSeconds,
      }),
      recording,
    );
    const adminHandler = createAdminRequestHandler({
      store,
      requestLog,
      logger,
      seed: (request) => store.commit(() => applySeed(store, request, clock)),
      reset: async (to: ResetTarget) => {
        await store.commit(() => store.replaceAll(to === "initial" ? initialState : emptyStateDocument()));
        requestLog.clear();
        limiter.clear();
        deviceCodes.clear();
      },
      throttling: {
        get: () => ({ ...throttling }),
        set: (config) => {
          throttling = config;
          limiter.clear();
        },
      },
      faults: { get: () => injector.current, set: (config) => injector.configure(config) },
      access: {
        get: () => ({ ...access }),
        set: (config) => {
          access = config;
        },
      },
      deviceCodes: {
        list: () => deviceCodes.list(clock()),
        approve: (userCode, user) => summarizeDeviceCode(approveDeviceCode({ store, clock, deviceCodes }, userCode, user), clock()),
        decline: (userCode) => summarizeDeviceCode(declineDeviceCode({ clock, deviceCodes }, userCode), clock()),
      },
    });

    const httpsOptions = { ...serverOptions.https, key: tls.serverKeyPem, cert: tls.serverCertificatePem };
    const graphServer = nodeHttp.createServer(serverOptions.http, graphHandler);
    const graphHttpsServer = createHttpsServer(httpsOptions, graphHandler);
    const loginServer = createHttpsServer(httpsOptions, loginHandler);
    // Even requests Node cannot parse get an answer in the host's own error format.
    for (const server of [graphServer, graphHttpsServer]) {
      answerMalformedRequests(server, graphFormat(clock), (status, message) => new GraphError(status, "BadRequest", message));
    }
    answerMalformedRequests(
      loginServer,
      loginFormat(clock, () => urls.login),
      (status, message) => new EntraError(status, "invalid_request", undefined, message),
    );
    const servers: Array<{ name: string; server: Server; port: number | undefined; url: (port: number) => void }> = [
      { name: "graph", server: graphServer, port: options.port, url: (port) => (urls.graph = `http://127.0.0.1:${port}`) },
      { name: "graph https", server: graphHttpsServer, port: options.graphHttpsPort, url: (port) => (urls.graphHttps = `https://localhost:${port}`) },
      { name: "login", server: loginServer, port: options.loginPort, url: (port) => (urls.login = `https://localhost:${port}`) },
      {
        name: "admin",
        server: nodeHttp.createServer(serverOptions.http, adminHandler),
        port: options.adminPort,
        url: (port) => (urls.admin = `http://127.0.0.1:${port}`),
      },
      {
        name: "target",
        server: nodeHttp.createServer(serverOptions.http, targetHandler),
        port: options.targetPort,
        url: (port) => (urls.target = `http://127.0.0.1:${port}`),
      },
    ];
    for (const { server } of servers) cleanups.push(() => closeServer(server));
    await allFinished(
      servers.map(async ({ name, server, port, url }) =>
        url(await listenOnLoopback(server, port ?? 0, (error) => logger(`${name} server error: ${error.message}`))),
      ),
    );

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

/** Opens the state; a new one (no saved state) is seeded with the demo tenant, unless declined. */
async function openStore(dataDir: string | undefined, seedDemo: boolean, clock: EmulatorClock): Promise<EmulatorStore> {
  const store = await EmulatorStore.open(dataDir);
  // Only a new state is seeded: a saved one is the user's, even if they emptied it. Writing the new
  // state at once makes the next start with this data directory find it, seeded or not.
  if (store.isFresh) {
    await store.commit(() => {
      if (seedDemo) seedDemoTenant(store, clock);
    });
  }
  return store;
}

/**
 * The CA and the server certificate: kept in the data directory, or created for this run in a
 * temporary directory (where clients find the CA certificate) that close() removes.
 */
async function prepareTlsMaterial(dataDir: string | undefined, clock: EmulatorClock, cleanups: Array<() => Promise<void>>): Promise<TlsMaterial> {
  if (dataDir) return loadOrCreateTlsMaterial({ directory: join(dataDir, "tls"), persistKeys: true, clock });
  const directory = await mkdtemp(join(tmpdir(), "graph-sync-emulator-"));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return loadOrCreateTlsMaterial({ directory, persistKeys: false, clock });
}

/**
 * Like `Promise.all`, but when a step fails it still waits for the others to finish before
 * rejecting, so that nothing they set up (a listening server, a temporary directory) is left behind
 * by the clean-up that follows.
 */
async function allFinished<T extends readonly unknown[] | []>(steps: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  const outcomes = await Promise.allSettled(steps);
  for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [P in keyof T]: Awaited<T[P]> };
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
    adminUserPrincipalName: demo?.adminUserPrincipalName ?? "",
    target,
    howToGetAuthorizationCode:
      "Open target.authorizationRequestUrl in a browser and choose Allow on the target's consent page (with --auto-consent " +
      "a GET answers 302 at once); the target redirects to the redirect URI with ?code=...&state=...; " +
      `the code is single-use and expires after ${codeLifetimeInSeconds} s. ` +
      "Programmatically: emulator.getAuthorizationCode(objectId).",
  };
}
