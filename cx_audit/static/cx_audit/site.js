/* cx_audit — small progressive enhancements; every page works without this file. */
"use strict";

/* Filter forms submit only the filters that are set, so the address stays short enough to read,
   bookmark and share ("?outlet_type=authorized&city_tier=3", not nine empty parameters). */
document.querySelectorAll("form.filters").forEach((form) => {
  form.addEventListener("formdata", (event) => {
    for (const [name, value] of [...event.formData.entries()]) {
      if (value === "") event.formData.delete(name);
    }
  });
});

/* "Use my position" beside a near field: an auditor standing in a store finds the outlets around
   them without typing coordinates. Offered only where the browser can locate; the texts come from
   the form's data attributes, so they are translated with the page. */
document.querySelectorAll("form.filters[data-locate-label] input[name='near']").forEach((input) => {
  if (!("geolocation" in navigator)) return;
  const form = input.form;
  const wrapper = document.createElement("div");
  wrapper.className = "with-action";
  input.replaceWith(wrapper);
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button locate";
  button.textContent = form.dataset.locateLabel;
  wrapper.append(input, button);
  const status = form.querySelector(`#${input.id}_locate`);
  button.addEventListener("click", () => {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude } = position.coords;
        input.value = `${latitude.toFixed(5)},${longitude.toFixed(5)},${form.dataset.locateKm || 10}`;
        button.disabled = false;
        if (status) status.textContent = "";
        input.focus();
      },
      () => {
        button.disabled = false;
        if (status) status.textContent = form.dataset.locateFailed || "";
      },
      { timeout: 15000, maximumAge: 60000 },
    );
  });
});
