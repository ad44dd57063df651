// The bootstrap sends each framework once per version (issue 12, finding 11): the tablet says
// which it has (`have`), and withCachedFrameworks puts the omitted ones back from its last copy.
import assert from "node:assert/strict";
import { test } from "node:test";

import { withCachedFrameworks } from "../../cx_audit/static/cx_audit/tablet/app.js";

const v = (id, version, brand = 1) => ({ id, version, brand });
const framework = (id, version, brand = 1) => ({ id, version, brand, items: [{ code: `I${id}.${version}` }] });

test("an answer without framework_versions (an older server) is taken as it is", () => {
  const data = { frameworks: [framework(1, 1)] };
  assert.equal(withCachedFrameworks(data, null), data);
});

test("omitted frameworks come from the previous bootstrap; new versions from the answer", () => {
  const previous = { frameworks: [framework(1, 1), framework(2, 3, 2)] };
  const data = { frameworks: [framework(2, 4, 2)], framework_versions: [v(1, 1), v(2, 4, 2)] };
  const merged = withCachedFrameworks(data, previous);
  assert.deepEqual(merged.frameworks.map((f) => `${f.id}:${f.version}`), ["1:1", "2:4"]);
});

test("a framework no longer current is dropped, and a stale cached version is not used", () => {
  const previous = { frameworks: [framework(1, 1), framework(5, 1)] };
  const data = { frameworks: [], framework_versions: [v(1, 2)] };
  assert.deepEqual(withCachedFrameworks(data, previous).frameworks, []);
});
