// Bulk export page: poll the job's status until it is finished, and show the progress; a job that
// failed (a worker that went silent is given up by the server) offers to start again.
(function () {
  "use strict";
  const box = document.querySelector("section.job[data-status-url]");
  if (!box || box.dataset.finished === "1") return;
  const bar = box.querySelector("progress");
  const state = box.querySelector(".job-state");
  const count = box.querySelector(".job-count");
  const error = box.querySelector(".job-error");
  const download = box.querySelector(".job-download");
  const kept = box.querySelector(".job-kept");
  const restart = box.querySelector(".job-restart");
  let delay = 1000;

  function show(job) {
    bar.max = Math.max(job.total, 1);
    bar.value = job.done;
    bar.textContent = job.percent + "%";
    state.textContent = job.status_display;
    count.textContent = job.done + " / " + job.total;
    if (job.error) { error.textContent = job.error; error.hidden = false; }
    if (job.status === "done") {
      download.hidden = false;
      // The API's time is in the site's zone ("2026-11-30T09:36:00+08:00"): shown as on the page.
      if (job.kept_until) kept.textContent = kept.dataset.template.replace("{date}", job.kept_until.slice(0, 16).replace("T", " "));
    }
    if (job.can_restart) restart.hidden = false;
    return ["done", "failed", "expired"].indexOf(job.status) !== -1;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) { if (!show(job)) setTimeout(poll, delay); })
      .catch(function () { delay = Math.min(delay * 2, 10000); setTimeout(poll, delay); });
  }
  setTimeout(poll, delay);
})();
