// The console's only script: forms with data-confirm ask first, and an element with data-refresh="N"
// (the live part of a page: graphs, rates, demo state) is fetched again every N seconds and replaced.
"use strict";
document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
const live = document.getElementById("live");
if (live && live.dataset.refresh) {
  const every = Math.max(2, Number(live.dataset.refresh)) * 1000;
  const refresh = async () => {
    try {
      const answer = await fetch(window.location.href, { credentials: "same-origin", redirect: "error" });
      if (answer.ok) {
        const page = new DOMParser().parseFromString(await answer.text(), "text/html");
        const fresh = page.getElementById("live");
        if (fresh) {
          document.getElementById("live").replaceWith(document.importNode(fresh, true));
        }
      }
    } catch (e) {
      // the server is away for a moment: try again at the next tick
    }
    window.setTimeout(refresh, every);
  };
  window.setTimeout(refresh, every);
}
