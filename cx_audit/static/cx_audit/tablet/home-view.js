/* "My audits" (#/): the audits on this tablet and the locations due for a visit, and the check-in
   that starts an audit at one of them. */

import { brandOf, kindsFor, locationOf } from "./data.js";
import { currentPosition, haversineKm, visitingOrder } from "./geo.js";
import { newId } from "./sync.js";
import { dateText, distanceText, h, KIND_LABELS, OUTLET_LABELS, plural, replace, scoreText } from "./ui.js";

const RECENT_MS = 7 * 864e5; // submitted audits stay listed for a week

function positionLine(position) {
  if (position && !position.error) return `Nearest first from where you are (±${Math.round(position.accuracy || 0)} m).`;
  return `Position unknown${position?.error ? `: ${position.error}` : ""}. Ordered by due date.`;
}

export function showMyAudits(app) {
  app.current = { name: "home", ready: !!app.boot };
  const { boot, view } = app;
  if (!boot) {
    const waiting = app.bootError ? `Could not load your audits: ${app.bootError}. Open this page once with a connection.` : "Loading your audits…";
    replace(view, h("h1", {}, "My audits"), h("p", { role: "status" }, waiting));
    return;
  }
  // Online, the server ordered by geodesic distance; offline (or from an old copy), order here.
  const fresh = navigator.onLine && !app.bootError;
  const locations = fresh ? boot.locations : visitingOrder(boot.locations, app.position);
  const mine = [...app.audits.values()]
    .filter((a) => a.status !== "submitted" || Date.now() - Date.parse(a.submittedAt || a.startedAt) < RECENT_MS)
    .sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)));
  const draftAt = new Map(mine.filter((a) => a.status === "draft").map((a) => [a.location, a]));
  replace(
    view,
    h("h1", {}, "My audits"),
    h("p", { class: "muted position-line", role: "status" }, positionLine(app.position), app.bootAt ? ` Updated ${new Date(app.bootAt).toLocaleTimeString()}.` : ""),
    mine.length
      ? h("section", { "aria-labelledby": "mine-title" },
          h("h2", { id: "mine-title" }, "On this tablet"),
          h("ul", { class: "audit-cards" }, mine.map((audit) => myAuditCard(app, audit))))
      : null,
    h("section", { "aria-labelledby": "due-title" },
      h("h2", { id: "due-title" }, "Due for audit ", h("small", {}, `(${dueCount(boot, locations)})`)),
      locations.length
        ? h("ol", { class: "audit-cards due-list" }, locations.map((location) => dueCard(app, location, draftAt.get(location.id))))
        : h("p", {}, "Nothing is due in your area.")),
  );
}

/* The bootstrap sends the first page of a long due list: say how many there are in all. */
function dueCount(boot, locations) {
  const total = boot.locations_count ?? locations.length;
  return total > locations.length ? `${locations.length} of ${total}` : `${locations.length}`;
}

function myAuditCard(app, audit) {
  const location = locationOf(app, audit);
  const status = {
    draft: "In progress",
    queued: "Submitted on this tablet · waiting to sync",
    submitted: `Submitted · score ${scoreText(audit.score?.audit?.score)}`,
  }[audit.status];
  const target = audit.status === "draft" ? `#/audit/${audit.uuid}` : `#/audit/${audit.uuid}/score`;
  return h("li", { class: "audit-card", dataset: { audit: audit.uuid } },
    h("h3", {}, location.name, " ", h("small", {}, location.code)),
    h("p", { class: "muted" }, `${KIND_LABELS[audit.kind] || audit.kind} · started ${dateText(audit.startedAt)} · ${status}`),
    h("a", { class: "button primary", href: target, "aria-label": `${audit.status === "draft" ? "Continue" : "Score"}: ${location.name}` },
      audit.status === "draft" ? "Continue audit" : "View score"));
}

function startAction(app, location, draft) {
  const kinds = kindsFor(app, location.brand);
  const framework = app.boot.frameworks.find((f) => f.brand === location.brand);
  if (draft) {
    return h("a", { class: "button primary", href: `#/audit/${draft.uuid}`, "aria-label": `Continue audit at ${location.name}` }, "Continue audit");
  }
  if (!framework) return h("p", { class: "muted" }, "No published framework for this brand yet.");
  if (!kinds.length) return null;
  const selectId = `kind-${location.id}`;
  const select = kinds.length > 1
    ? h("span", { class: "field kind-field" },
        h("label", { for: selectId }, "Visit"),
        h("select", { id: selectId }, kinds.map((kind) => h("option", { value: kind }, KIND_LABELS[kind]))))
    : h("span", { class: "muted" }, KIND_LABELS[kinds[0]]);
  const chosen = () => (kinds.length > 1 ? app.view.querySelector(`#${selectId}`).value : kinds[0]);
  return h("div", { class: "start-line" }, select,
    h("button", { type: "button", class: "button primary", "aria-label": `Start audit at ${location.name}`,
      onclick: () => startAudit(app, location, chosen()) }, "Start audit"));
}

function dueCard(app, location, draft) {
  const due = location.overdue_days > 0
    ? h("span", { class: "tag bad" }, `${plural(location.overdue_days, "day")} overdue`)
    : h("span", { class: "tag" }, location.due_date ? `due ${dateText(location.due_date)}` : "no due date");
  return h("li", { class: "audit-card due-card", dataset: { location: location.code } },
    h("h3", {}, location.name, " ", h("small", {}, location.code)),
    h("p", { class: "due-facts" },
      due, " ",
      h("span", { class: `tag ${location.outlet_type}` }, OUTLET_LABELS[location.outlet_type] || location.outlet_type), " ",
      h("span", { class: "distance" }, distanceText(location.distance_km))),
    h("p", { class: "muted" }, [location.address, location.city].filter(Boolean).join(", "),
      location.last_audit_at ? ` · last audited ${dateText(location.last_audit_at)}` : " · never audited"),
    startAction(app, location, draft));
}

/* Where the tablet is against the store and the brand's geofence; {error} without a position. */
async function checkIn(location, brand) {
  const position = await currentPosition({ timeoutMs: 8000 });
  if (position.error) return { error: position.error };
  const known = location.latitude !== null && location.longitude !== null;
  const distanceM = known ? Math.round(1000 * haversineKm(position.latitude, position.longitude, Number(location.latitude), Number(location.longitude))) : null;
  return { latitude: position.latitude, longitude: position.longitude, accuracy: position.accuracy, distanceM, outside: distanceM !== null && distanceM > (brand?.geofence_m ?? 300) };
}

/* Check-in: the tablet's position, its distance to the store, the brand's geofence. The audit
   starts either way; a missing position or a far one is said, not blocking. */
async function startAudit(app, location, kind) {
  const framework = app.boot.frameworks.find((f) => f.brand === location.brand);
  app.leaveView();
  app.current = { name: "checkin", ready: true };
  replace(app.view, h("h1", {}, "Check-in · ", location.name), h("p", { role: "status" }, "Finding where you are…"));
  const checkin = await checkIn(location, brandOf(app, location.brand));
  const audit = {
    uuid: newId(),
    location: location.id,
    brand: location.brand,
    framework: framework.id,
    frameworkData: framework,
    locationData: location,
    kind,
    status: "draft",
    startedAt: new Date().toISOString(),
    checkin,
    missing: [],
    conflicts: [],
  };
  await app.sync.startAudit(audit);
  app.audits.set(audit.uuid, audit);
  app.navigate(`#/audit/${audit.uuid}`);
}
