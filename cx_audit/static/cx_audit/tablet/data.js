/* What the tablet knows, for the views: the bootstrap (brands, locations, frameworks) and its own
   copy of every audit. An audit keeps the framework and location it was started with, so it can
   be finished even when a later bootstrap no longer lists them. Every function takes the app
   (app.js), whose `boot` and `audits` hold the data. */

export function brandOf(app, id) {
  return app.boot?.brands.find((b) => b.id === id) || null;
}

export function frameworkOf(app, audit) {
  if (audit.frameworkData) return audit.frameworkData;
  const frameworks = app.boot?.frameworks || [];
  return frameworks.find((f) => f.id === audit.framework) || frameworks.find((f) => f.brand === audit.brand) || null;
}

export function locationOf(app, audit) {
  return (
    audit.locationData ||
    app.boot?.locations.find((l) => l.id === audit.location) || {
      id: audit.location,
      name: audit.server?.location_name || "Location",
      code: audit.server?.location_code || "",
      outlet_type: audit.server?.outlet_type || "direct",
    }
  );
}

/* The framework item of an audit, for the outbox to check an answer before queueing it. */
export function itemRule(app, auditUuid, code) {
  const audit = app.audits.get(auditUuid);
  return audit ? frameworkOf(app, audit)?.items.find((item) => item.code === code) || null : null;
}

export async function loadAudits(app) {
  app.audits = new Map((await app.store.all("audits")).map((audit) => [audit.uuid, audit]));
}

/* Which kinds of audit the user may start in a brand (the server decides in the end): a
   superuser audits anywhere (and has no roles); a franchisee only assesses its own outlets. */
export function kindsFor(app, brandId) {
  const user = app.boot?.user;
  if (user?.is_superuser) return ["scheduled", "unannounced"];
  const role = user?.roles?.[String(brandId)];
  if (role === "franchisee") return ["self_assessment"];
  if (role === "hq_analyst") return [];
  return ["scheduled", "unannounced"];
}
