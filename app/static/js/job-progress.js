// Keeps a background job's progress bar current without reloading the page; the "Refresh" link
// does the same without JavaScript.
(function () {
  var bar = document.getElementById("job-progress");
  if (!bar || !window.fetch) return;
  var status = document.getElementById("job-status");
  function poll() {
    fetch(bar.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        if (job.status === "queued" || job.status === "running") {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      });
  }
  if (bar.dataset.status === "queued" || bar.dataset.status === "running") window.setTimeout(poll, 2000);
})();
