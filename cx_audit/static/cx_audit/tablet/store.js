/* IndexedDB, the tablet's own copy of everything: a tiny promise wrapper, no library.

   One database per signed-in user, so two auditors sharing a tablet never see (or sync) each
   other's drafts. Stores:
     meta     key → value (the bootstrap data, settings)
     audits   by client uuid: the audit, its check-in, its server score once submitted
     answers  by [audit uuid, item code]: the answer and the server revision last seen
     photos   by client id: the photo itself (a Blob) and what the server said about it
     outbox   operations waiting for the server, in the order they were made (auto-increment)
     journal  operations the server accepted, the last few hundred, for support and replay
   A change and the operation that sends it are written in one transaction: the tablet can never
   hold an answer the outbox has forgotten, or an operation for an answer it has lost. */

const DB_VERSION = 1;
export const JOURNAL_LIMIT = 500;

/* An IDBRequest as a promise. */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function upgrade(db) {
  db.createObjectStore("meta", { keyPath: "key" });
  db.createObjectStore("audits", { keyPath: "uuid" });
  const answers = db.createObjectStore("answers", { keyPath: ["audit", "item"] });
  answers.createIndex("audit", "audit");
  const photos = db.createObjectStore("photos", { keyPath: "id" });
  photos.createIndex("audit", "audit");
  const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
  outbox.createIndex("audit", "audit");
  db.createObjectStore("journal", { keyPath: "seq", autoIncrement: true });
}

export class Store {
  constructor(db) {
    this.db = db;
  }

  static open(userId) {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(`cx-tablet-${userId}`, DB_VERSION);
      request.onupgradeneeded = () => upgrade(request.result);
      request.onsuccess = () => {
        const db = request.result;
        // A newer version of the app wants to upgrade the database: let it (this tab reloads).
        db.onversionchange = () => db.close();
        resolve(new Store(db));
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("Close the other cx_audit tabs, then reload."));
    });
  }

  /* Run fn(stores) in one transaction; resolves with fn's result once the transaction committed.
     fn may await IDB requests (req) but nothing else, or the transaction closes under it. */
  run(names, mode, fn) {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(names, mode);
      const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("The change could not be saved on the tablet."));
      Promise.resolve()
        .then(() => fn(stores, tx))
        .then(
          (value) => {
            result = value;
          },
          (error) => {
            try {
              tx.abort();
            } catch {
              /* already finished */
            }
            reject(error);
          },
        );
    });
  }

  get(name, key) {
    return this.run([name], "readonly", (s) => req(s[name].get(key)));
  }

  all(name) {
    return this.run([name], "readonly", (s) => req(s[name].getAll()));
  }

  byAudit(name, uuid) {
    return this.run([name], "readonly", (s) => req(s[name].index("audit").getAll(uuid)));
  }

  put(name, value) {
    return this.run([name], "readwrite", (s) => req(s[name].put(value)));
  }

  delete(name, key) {
    return this.run([name], "readwrite", (s) => req(s[name].delete(key)));
  }

  async getMeta(key, fallback = null) {
    const row = await this.get("meta", key);
    return row ? row.value : fallback;
  }

  setMeta(key, value) {
    return this.put("meta", { key, value });
  }
}
