// A stand-in for the audit API behind a stubbed `fetch`, with the server's rules that the outbox
// relies on (cx_audit/audits/services.py): audits created by client uuid (the same uuid twice is
// the same audit), answers upserted by item code all or none, a conflict when the client's base
// revision is older than the server's and the values differ, photos deduplicated by content, and
// submitting twice answers the same score. Tests can cut the connection, fail a request, or
// lose the server's answer on the way back after the server acted on it.

const API = "/api/";
const VALUE_FIELDS = ["kind", "yes", "number", "list_price", "text", "comment"];

const json = (status, body) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
  });

/* Stored and given values agree: 2 and "2.00" do, null and "" do not (services._same). */
const sameValue = (field, a, b) => {
  const number = (v) => (v === null || v === undefined || v === "" ? null : Number(v));
  return ["number", "list_price"].includes(field) ? number(a) === number(b) : (a ?? null) === (b ?? null);
};

async function sha256(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class FakeServer {
  constructor() {
    this.audits = new Map(); // uuid → {uuid, id, status, answers: Map(code → answer), photos: [...]}
    this.requests = []; // [method, path, body] of every request that reached the server
    this.online = true;
    this.nextId = 1;
    this.faults = []; // [{match(method, path), respond?: () => Response, lose?: true, hold?: Promise}]
    this.required = new Set(); // item codes the server wants answered before submission
    this.bootstrap = null; // what GET tablet/bootstrap/ answers
  }

  /* Install as the global fetch; returns a function that puts the previous one back. */
  install() {
    const previous = globalThis.fetch;
    globalThis.fetch = (url, init = {}) => this.fetch(url, init);
    return () => {
      globalThis.fetch = previous;
    };
  }

  /* The next request matching method and path (a RegExp or a string it contains) fails: with the
     response given, or, with {lose: true}, after the server acted on it (the answer is lost). */
  failNext(method, path, fault) {
    const match = (m, p) => m === method && (path instanceof RegExp ? path.test(p) : p.includes(path));
    this.faults.push({ match, ...fault });
  }

  calls(method, fragment = "") {
    return this.requests.filter(([m, p]) => m === method && p.includes(fragment));
  }

  async fetch(url, init) {
    const method = init.method || "GET";
    const path = new URL(url, "http://tablet.test").pathname;
    if (!this.online) throw new TypeError("Failed to fetch");
    const at = this.faults.findIndex((fault) => fault.match(method, path));
    const fault = at === -1 ? null : this.faults.splice(at, 1)[0];
    if (fault?.hold) await fault.hold;
    if (fault?.respond) return fault.respond();
    const body = typeof init.body === "string" ? JSON.parse(init.body) : init.body;
    this.requests.push([method, path, body]);
    const response = await this.route(method, path.slice(API.length), body);
    if (fault?.lose) throw new TypeError("Failed to fetch");
    return response;
  }

  async route(method, path, body) {
    let m;
    if (method === "GET" && path === "tablet/bootstrap/") return json(200, this.bootstrap);
    if (method === "POST" && path === "audits/") return this.create(body);
    if ((m = /^audits\/([^/]+)\/answers\/$/.exec(path)) && method === "POST") return this.upsert(m[1], body.answers);
    if ((m = /^audits\/([^/]+)\/answers\/([^/]+)\/$/.exec(path)) && method === "DELETE") return this.clear(m[1], decodeURIComponent(m[2]));
    if ((m = /^audits\/([^/]+)\/evidence\/$/.exec(path)) && method === "POST") return this.upload(m[1], body);
    if ((m = /^audits\/([^/]+)\/evidence\/(\d+)\/$/.exec(path)) && method === "DELETE") return this.removePhoto(m[1], Number(m[2]));
    if ((m = /^audits\/([^/]+)\/submit\/$/.exec(path)) && method === "POST") return this.submit(m[1]);
    return json(404, { detail: "Not found." });
  }

  create(body) {
    const existing = this.audits.get(body.uuid);
    if (existing) return json(200, this.auditData(existing));
    const audit = { uuid: body.uuid, id: this.nextId++, status: "draft", body, answers: new Map(), photos: [] };
    this.audits.set(body.uuid, audit);
    return json(201, this.auditData(audit));
  }

  auditData(audit) {
    return { id: audit.id, uuid: audit.uuid, status: audit.status, location: audit.body.location, kind: audit.body.kind };
  }

  /* An answer as another device (or a photo's placeholder) left it on the server. */
  setAnswer(uuid, item, values, revision) {
    const audit = this.audits.get(uuid);
    audit.answers.set(item, { item, ...Object.fromEntries(VALUE_FIELDS.map((f) => [f, null])), kind: "value", text: "", comment: "", ...values, revision });
  }

  upsert(uuid, answers) {
    const audit = this.audits.get(uuid);
    if (!audit) return json(404, { detail: "Not found." });
    // The API's decimal fields keep at most 14 digits (serializers.AnswerInputSerializer).
    const tooLong = (a) => String(a.number ?? "").replace(/\D/g, "").length > 14;
    const refused = answers.filter(tooLong).map((a) => `${a.item}: number: Ensure that there are no more than 14 digits in total.`);
    if (refused.length) return json(400, { answers: refused });
    const conflicts = [];
    const changes = [];
    for (const given of answers) {
      const row = audit.answers.get(given.item);
      if (row && VALUE_FIELDS.every((f) => sameValue(f, row[f], given[f] ?? (f === "kind" ? "value" : null)))) continue;
      if (row && given.base_revision !== null && given.base_revision < row.revision) conflicts.push({ item: given.item, server: { ...row } });
      else changes.push(given);
    }
    if (conflicts.length) return json(409, { detail: "Changed on another device.", conflicts });
    for (const given of changes) {
      const revision = (audit.answers.get(given.item)?.revision ?? 0) + 1;
      const values = Object.fromEntries(VALUE_FIELDS.map((f) => [f, given[f] ?? null]));
      audit.answers.set(given.item, { item: given.item, ...values, revision });
    }
    return json(200, [...audit.answers.values()]);
  }

  clear(uuid, item) {
    const audit = this.audits.get(uuid);
    const row = audit.answers.get(item);
    if (row) this.setAnswer(uuid, item, {}, row.revision + 1);
    return json(204);
  }

  async upload(uuid, form) {
    const audit = this.audits.get(uuid);
    const file = form.get("file");
    if (file.type !== "image/jpeg") return json(400, { file: ["Upload a valid image."] });
    const hash = await sha256(file);
    const same = audit.photos.find((p) => p.sha256 === hash && p.item === form.get("item"));
    if (same) return json(200, same);
    const photo = { id: this.nextId++, item: form.get("item"), sha256: hash, url: `/media/${hash}.jpg` };
    audit.photos.push(photo);
    return json(201, photo);
  }

  removePhoto(uuid, id) {
    const audit = this.audits.get(uuid);
    audit.photos = audit.photos.filter((p) => p.id !== id);
    return json(204);
  }

  submit(uuid) {
    const audit = this.audits.get(uuid);
    const missing = [...this.required].filter((code) => !audit.answers.get(code)?.kind);
    if (audit.status === "draft" && missing.length) {
      return json(400, { detail: "Items are missing.", missing: missing.map((item) => ({ item, reason: "not answered" })) });
    }
    audit.status = "submitted";
    return json(200, { audit: { ...this.auditData(audit), score: "100.00", band: "Excellent" }, items: [], sections: [] });
  }
}
