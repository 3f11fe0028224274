import type { EmulatorClock } from "../clock.js";
import type { DemoFacts } from "./model.js";
import { newObjectId } from "./randomValues.js";
import { applySeed, defaultTargetRedirectUri } from "./seed.js";
import type { EmulatorStore } from "./store.js";

/** The demo tenant's caller has the least privilege the action accepts. */
export const demoClientRoles = ["Application.ReadWrite.OwnedBy"];

/**
 * What a signed-in administrator needs: the delegated permission (consented for the demo app) and a
 * directory role that allows the action.
 */
export const demoDelegatedPermissions = ["Synchronization.ReadWrite.All"];
export const demoAdminUserPrincipalName = "admin@graphsyncdemo.onmicrosoft.com";
export const demoAdminRole = "Cloud Application Administrator";
/** Loopback redirect URIs the demo target registers; the target accepts them on any port. */
export const demoLoopbackRedirectUris = ["http://127.0.0.1/callback", "http://localhost/callback"];

/**
 * Seeds the demo tenant: an app with a client secret and `Application.ReadWrite.OwnedBy`, and an
 * application plus a service principal that it owns, both authorizing against one OAuth client of
 * the emulated provisioning target. The same app allows public client flows and has the delegated
 * `Synchronization.ReadWrite.All` consented, and the tenant has one administrator (Cloud
 * Application Administrator) who can sign in with the device code flow. Ids and secrets are fresh
 * for every new state.
 */
export function seedDemoTenant(store: EmulatorStore, clock: EmulatorClock): DemoFacts {
  const tenantId = newObjectId();
  const clientServicePrincipalId = newObjectId();
  const result = applySeed(
    store,
    {
      tenants: [{ id: tenantId, displayName: "graph-sync demo", domains: ["graphsyncdemo.onmicrosoft.com"] }],
      clientApplications: [
        {
          tenantId,
          displayName: "graph-sync demo automation",
          servicePrincipalId: clientServicePrincipalId,
          roles: demoClientRoles,
          delegatedPermissions: demoDelegatedPermissions,
          allowPublicClientFlows: true,
        },
      ],
      users: [
        {
          tenantId,
          userPrincipalName: demoAdminUserPrincipalName,
          displayName: "graph-sync demo administrator",
          directoryRoles: [demoAdminRole],
        },
      ],
      // The portal's redirect URI first (what the admin center's Authorize button uses, and
      // `target.redirectUri`), then loopback ones for `graph-sync authorize`, any port (RFC 8252).
      targetClients: [{ displayName: "graph-sync demo target", redirectUris: [defaultTargetRedirectUri, ...demoLoopbackRedirectUris] }],
    },
    clock,
  );
  const clientId = result.clientApplications[0]!.appId;
  const targetClientId = result.targetClients[0]!.clientId;
  const owned = { tenantId, owners: [clientServicePrincipalId], targetClientId };
  const objects = applySeed(
    store,
    {
      applications: [{ ...owned, displayName: "graph-sync demo provisioning app" }],
      servicePrincipals: [{ ...owned, displayName: "graph-sync demo provisioning service principal" }],
    },
    clock,
  );
  const facts: DemoFacts = {
    tenantId,
    clientId,
    servicePrincipalId: objects.servicePrincipals[0]!.id,
    applicationId: objects.applications[0]!.id,
    targetClientId,
    adminUserPrincipalName: demoAdminUserPrincipalName,
  };
  store.demoFacts = facts;
  return facts;
}
