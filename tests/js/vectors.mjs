// tests/vectors/scoring.json, shared with the server's tests (tests/cx_audit/test_scoring_vectors.py).
import { readFileSync } from "node:fs";

export const VECTORS = JSON.parse(readFileSync(new URL("../vectors/scoring.json", import.meta.url), "utf8"));
