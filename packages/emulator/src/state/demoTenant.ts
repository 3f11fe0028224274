import type { Clock } from "../clock.js";
import type { DemoFacts } from "./model.js";
import { newObjectId } from "./randomValues.js";
import { applySeed } from "./seed.js";
import type { EmulatorStore } from "./store.js";

/** The demo tenant's caller has the least privilege the action accepts. */
export const demoClientRoles = ["Application.ReadWrite.OwnedBy"];

/**
 * Seeds the demo tenant: an app with a client secret and `Application.ReadWrite.OwnedBy`, and an
 * application plus a service principal that it owns, both authorizing against one OAuth client of
 * the emulated provisioning target. Ids and secrets are fresh for every new state.
 */
export function seedDemoTenant(store: EmulatorStore, clock: Clock): DemoFacts {
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
        },
      ],
      targetClients: [{ displayName: "graph-sync demo target" }],
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
  };
  store.demoFacts = facts;
  return facts;
}
