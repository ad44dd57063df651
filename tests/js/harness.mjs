// A tablet without a browser: IndexedDB from fake-indexeddb (a fresh database for every test),
// fetch answered by the FakeServer, and a navigator that says "offline" so the outbox never
// schedules a sync of its own; the tests call syncNow() when they want the queue sent.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";

import { Store } from "../../cx_audit/static/cx_audit/tablet/store.js";
import { Sync } from "../../cx_audit/static/cx_audit/tablet/sync.js";
import { FakeServer } from "./fake-server.mjs";

Object.defineProperty(globalThis, "navigator", { value: { onLine: false }, configurable: true, writable: true });

export const FRAMEWORK = {
  id: 7,
  brand: 1,
  name: "Aurora",
  version: 3,
  sections: [
    { code: "s1", name: "Outside", order: 1, weight: "1" },
    { code: "s2", name: "Inside", order: 2, weight: "2" },
  ],
  items: [
    item("YN1", "s1", "yes_no", { question: "Is the door clean?", critical: true }),
    item("YN2", "s1", "yes_no", { question: "Is the sign lit?", na_allowed: true }),
    item("SIG", "s1", "signage_text", { question: "What does the sign say?", required_terms: ["Aurora"], forbidden_terms: ["Dealer"] }),
    item("R1", "s2", "rating", { question: "How friendly was the greeting?" }),
    item("NUM", "s2", "number", { question: "How many demo units?", targets: { direct: "12", authorized: "4" } }),
    item("PR", "s2", "price", { question: "Price of the X1?", price_bands: { direct: ["100", "100"] } }),
    item("PH", "s2", "photo", { question: "Photo of the counter" }),
    item("AUTH", "s2", "yes_no", { question: "Is the dealer certificate shown?", applies_to: ["authorized"] }),
  ],
};

export function item(code, section, answerType, extra = {}) {
  return {
    code,
    section,
    question: code,
    guidance: "",
    answer_type: answerType,
    weight: "1",
    critical: false,
    photo_required: false,
    na_allowed: false,
    cannot_check_allowed: true,
    applies_to: ["direct", "authorized"],
    targets: {},
    pass_fail: false,
    price_bands: {},
    required_terms: [],
    forbidden_terms: [],
    dimension: null,
    example_photo_url: null,
    ...extra,
  };
}

export function newAudit(extra = {}) {
  return {
    uuid: crypto.randomUUID(),
    location: 11,
    brand: 1,
    framework: FRAMEWORK.id,
    kind: "scheduled",
    status: "draft",
    startedAt: new Date().toISOString(),
    checkin: { latitude: 39.1, longitude: 117.2, accuracy: 10, distanceM: 40, outside: false },
    missing: [],
    conflicts: [],
    ...extra,
  };
}

export const jpeg = (text = "photo") => new File([text], "photo.jpg", { type: "image/jpeg" });

/* A fresh tablet: its own database, a server, the outbox. Call close() when the test ends. */
export async function openTablet({ framework = FRAMEWORK, userId = 1 } = {}) {
  globalThis.indexedDB = new IDBFactory();
  const server = new FakeServer();
  const restore = server.install();
  const store = await Store.open(userId);
  const changes = [];
  const sync = new Sync(store, "/api/", {
    itemRule: (_uuid, code) => framework.items.find((i) => i.code === code) || null,
    onChange: (detail) => changes.push(detail),
  });
  return {
    server,
    store,
    sync,
    changes,
    outbox: () => store.all("outbox"),
    journal: () => store.all("journal"),
    close() {
      sync.stop();
      store.db.close();
      restore();
    },
  };
}
