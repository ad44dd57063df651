/* Talking to the API with the signed-in session: CSRF token from the cookie, JSON or multipart,
   and a time limit, because on a weak shop connection a request can hang for minutes and the
   queue behind it must not wait for ever. */

export class NetworkError extends Error {
  constructor(message) {
    super(message);
    this.name = "NetworkError";
  }
}

export class ApiError extends Error {
  constructor(status, body) {
    super(typeof body?.detail === "string" ? body.detail : `The server answered ${status}.`);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

/* What went wrong, in the server's words when it gave any: shown beside a refused change. */
export function describe(error) {
  if (error instanceof ApiError) {
    const body = error.body || {};
    if (typeof body.detail === "string") return body.detail;
    const parts = Object.entries(body).map(([field, value]) => `${field}: ${[].concat(value).join(" ")}`);
    return parts.join("; ") || error.message;
  }
  return error.message;
}

/* Django rotates the token at sign-in, so it is read from the cookie at each request. */
export function csrfToken() {
  const match = (globalThis.document?.cookie || "").split(/;\s*/).find((part) => part.startsWith("csrftoken="));
  return match ? decodeURIComponent(match.slice("csrftoken=".length)) : "";
}

export async function request(method, url, { json, form, timeoutMs = 20000 } = {}) {
  const headers = { Accept: "application/json" };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form; // the browser sets the multipart boundary itself
  }
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(url, { method, headers, body, credentials: "same-origin", signal: controller.signal });
  } catch (error) {
    throw new NetworkError(error.name === "AbortError" ? "The server took too long to answer." : "No connection.");
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, data, fromCache: response.headers.get("X-CX-Cache") === "hit" };
}
