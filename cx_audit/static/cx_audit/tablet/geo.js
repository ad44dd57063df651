/* Where the tablet is, and how far that is from a store. The server orders with geopy's geodesic
   distance; offline the tablet orders by great-circle (haversine) distance, which differs from it
   by well under 1 %, never enough to change which store is nearer across a city. */

const EARTH_RADIUS_KM = 6371.0088;

export function haversineKm(lat1, lon1, lat2, lon2) {
  const rad = (deg) => (deg * Math.PI) / 180;
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/* The position, or {error} saying why there is none; never rejects, so the caller can go on. */
export function currentPosition({ timeoutMs = 8000, maximumAgeMs = 60000 } = {}) {
  return new Promise((resolve) => {
    if (!("geolocation" in navigator)) {
      resolve({ error: "This browser cannot tell where the tablet is." });
      return;
    }
    // Some browsers never call back when the user ignores the permission prompt.
    const fallback = setTimeout(() => resolve({ error: "The position did not come in time." }), timeoutMs + 1000);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        clearTimeout(fallback);
        const { latitude, longitude, accuracy } = position.coords;
        resolve({ latitude, longitude, accuracy });
      },
      (error) => {
        clearTimeout(fallback);
        const reasons = {
          1: "Location permission was refused.",
          2: "The tablet could not find its position.",
          3: "The position did not come in time.",
        };
        resolve({ error: reasons[error.code] || "The position is unavailable." });
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: maximumAgeMs },
    );
  });
}

/* Overdue first, then nearest (unknown distance last), then earliest due: the server's order. */
export function visitingOrder(locations, position) {
  const withDistance = locations.map((location) => {
    let distance = location.distance_km;
    if (position && !position.error && location.latitude !== null && location.longitude !== null) {
      distance = haversineKm(position.latitude, position.longitude, Number(location.latitude), Number(location.longitude));
    }
    return { ...location, distance_km: distance ?? null };
  });
  return withDistance.sort(
    (a, b) =>
      (b.overdue_days > 0) - (a.overdue_days > 0) ||
      (a.distance_km ?? Infinity) - (b.distance_km ?? Infinity) ||
      String(a.due_date ?? "9999").localeCompare(String(b.due_date ?? "9999")) ||
      a.id - b.id,
  );
}
