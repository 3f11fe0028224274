/**
 * Microsoft Entra built-in directory roles the emulator knows by name, with their role template
 * ids (the values of the `wids` token claim). Ids from Microsoft Entra's "built-in roles" reference.
 */
export const directoryRoles = {
  "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
  "Hybrid Identity Administrator": "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
} as const;

export type DirectoryRoleName = keyof typeof directoryRoles;

/**
 * Entra puts this template id in the `wids` of every member user of a tenant (the default user
 * role), so a token of a user without any admin role still has one entry.
 */
export const memberUserRoleTemplateId = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/**
 * The roles that let a signed-in user call `acquireAccessToken` (with a delegated permission that
 * allows it): Application Administrator and Cloud Application Administrator (the action's page),
 * Hybrid Identity Administrator (the page, for Microsoft Entra Cloud Sync), and Global Administrator,
 * which holds every permission of those roles (not listed on the page: our assumption).
 */
export const rolesAllowedToAcquireTokens: readonly string[] = [
  directoryRoles["Application Administrator"],
  directoryRoles["Cloud Application Administrator"],
  directoryRoles["Hybrid Identity Administrator"],
  directoryRoles["Global Administrator"],
];

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A role given by name ("Cloud Application Administrator") or by template id, as a template id;
 * undefined for a name the emulator does not know. Unknown template ids are kept: Entra has more
 * roles than the emulator names.
 */
export function roleTemplateIdOf(nameOrId: string): string | undefined {
  if (guidPattern.test(nameOrId)) return nameOrId.toLowerCase();
  const byName = Object.entries(directoryRoles).find(([name]) => name.toLowerCase() === nameOrId.trim().toLowerCase());
  return byName?.[1];
}

/** The display name of a role template id, or the id itself when the emulator does not name it. */
export function roleNameOf(templateId: string): string {
  return Object.entries(directoryRoles).find(([, id]) => id === templateId.toLowerCase())?.[0] ?? templateId;
}
