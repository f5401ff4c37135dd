/* RiskOps live streams, for every page: window.RiskOpsLive.subscribe(path, {onEvent, onStatus}).
 *
 * path: "/ws/incidents/12/", "/ws/teams/3/" or "/ws/dashboard/".
 * onEvent(event): each message once, in order: first a "snapshot" (again after every
 *   reconnection), then events ({"type", "seq", "at", "incident", "data"}).
 * onStatus(state): "connecting" | "live" | "offline".
 *
 * An incident stream reconnects with ?since=<last seq delivered>: the server sends a snapshot
 * at that seq, then every event after it. On team and dashboard streams, seq counts per
 * incident; a reconnection brings a fresh snapshot with each incident's seq. Events whose seq
 * was already delivered are dropped; a gap on an incident stream makes it resync.
 * Returns {close()}.
 */
(function () {
  "use strict";

  var BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];
  var UNAUTHENTICATED = 4401;
  var FORBIDDEN = 4403;
  var INCIDENT_STREAM = /^\/ws\/incidents\/\d+\/$/;

  function subscribe(path, handlers) {
    var onEvent = handlers.onEvent || function () {};
    var onStatus = handlers.onStatus || function () {};
    var incidentStream = INCIDENT_STREAM.test(path);
    var delivered = {};      // incident id -> last seq delivered
    var streamSeq = null;    // incident stream: last seq delivered, for ?since=
    var socket = null;
    var attempt = 0;
    var retry = null;
    var stopped = false;

    function address() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var query = incidentStream && streamSeq !== null ? "?since=" + streamSeq : "";
      return scheme + location.host + path + query;
    }

    function accept(event) {
      if (event.type === "snapshot") {
        delivered = {};
        if (incidentStream) {
          streamSeq = event.seq;
          delivered[event.incident] = event.seq;
        } else {
          (event.data.incidents || []).forEach(function (row) { delivered[row.id] = row.seq; });
        }
        attempt = 0;
        onStatus("live");
        return true;
      }
      var last = delivered[event.incident];
      if (last !== undefined && event.seq <= last) return false;
      if (incidentStream && last !== undefined && event.seq !== last + 1) {
        resync();
        return false;
      }
      delivered[event.incident] = event.seq;
      if (incidentStream) streamSeq = event.seq;
      return true;
    }

    function resync() {
      var stale = socket;
      socket = null;
      stale.close(4000, "resync");
      connect();
    }

    function connect() {
      retry = null;
      onStatus("connecting");
      var current = new WebSocket(address());
      socket = current;
      current.onmessage = function (message) {
        if (socket !== current) return;
        var event = JSON.parse(message.data);
        if (accept(event)) onEvent(event);
      };
      current.onclose = function (closing) {
        if (socket !== current) return;
        socket = null;
        onStatus("offline");
        if (stopped || closing.code === UNAUTHENTICATED || closing.code === FORBIDDEN) return;
        var delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
        attempt += 1;
        retry = setTimeout(connect, delay * (0.8 + Math.random() * 0.4));
      };
    }

    connect();
    return {
      close: function () {
        stopped = true;
        if (retry) clearTimeout(retry);
        if (socket) socket.close(1000);
      },
    };
  }

  window.RiskOpsLive = { subscribe: subscribe };
})();
