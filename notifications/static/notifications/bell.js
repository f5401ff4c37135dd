/* The bell in the header: its unread count follows /ws/notifications/ without reloading.
 * data-state on the bell says whether it is live ("connecting" | "live" | "offline"). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var bell = document.querySelector("[data-bell]");
    if (!bell || !window.RiskOpsLive) return;
    var count = bell.querySelector("[data-bell-count]");

    window.RiskOpsLive.subscribe("/ws/notifications/", {
      onEvent: function (event) {
        var unread = event.data.unread;
        count.textContent = String(unread);
        count.hidden = unread === 0;
        bell.setAttribute("aria-label", bell.dataset.label.replace("{count}", String(unread)));
      },
      onStatus: function (state) { bell.dataset.state = state; },
    });
  });
})();
