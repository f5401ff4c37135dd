// The import page: the progress bar, polled until the job is done (a file, not inline: the
// content security policy allows only the site's own scripts).
(function () {
  const job = document.getElementById("job");
  const bar = document.getElementById("bar");
  bar.style.width = bar.dataset.share + "%";
  if (!["queued", "running"].includes(job.dataset.status)) return;
  const poll = async () => {
    const data = await (await fetch(job.dataset.url, {credentials: "same-origin"})).json();
    const share = data.total_rows ? Math.round(100 * data.processed_rows / data.total_rows) : 0;
    bar.style.width = share + "%";
    document.getElementById("counts").textContent = data.processed_rows + " / " + data.total_rows;
    if (["queued", "running"].includes(data.status)) setTimeout(poll, 1000); else location.reload();
  };
  setTimeout(poll, 1000);
})();
