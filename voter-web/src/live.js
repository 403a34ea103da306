// The show hub over the npm SignalR client: pushes of what is on screen, voting and results. Reconnects forever
// (phones drop sockets when the screen locks); after every (re)connect the page does a full refresh.
//
// It opens a WebSocket straight away (no negotiate request: one round trip less on a congested network). If that fails
// twice in a row, it switches for good to the usual negotiating client, which falls back to Server-Sent Events or
// long polling where a proxy blocks WebSockets.

import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { reconnectDelayMs } from "./net.js";

const HUB = "/hubs/show";

/** handlers: show(state), voting(change), results(publicResults), state("live"|"reconnecting"), synced().
 * screen: the screen view's connection, which the server does not count among the phones (voters online). */
export function createLive(handlers, { screen = false } = {}) {
  let directFailures = 0;
  let direct = typeof WebSocket === "function";
  let connection = build();
  let starting = false;
  let attempt = 0;
  let timer = 0;

  function build() {
    const hub = new HubConnectionBuilder()
      .withUrl(screen ? `${HUB}?audience=screen` : HUB, direct ? { transport: HttpTransportType.WebSockets, skipNegotiation: true } : {})
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ({ previousRetryCount }) => reconnectDelayMs(previousRetryCount) })
      .configureLogging(LogLevel.None)
      .build();
    hub.on("showChanged", handlers.show);
    hub.on("votingChanged", handlers.voting);
    hub.on("resultsRevealed", handlers.results);
    hub.onreconnecting(() => handlers.state("reconnecting"));
    hub.onreconnected(() => {
      handlers.state("live");
      handlers.synced();
    });
    hub.onclose(() => {
      if (hub !== connection) return; // replaced by the negotiating client
      handlers.state("reconnecting");
      start();
    });
    return hub;
  }

  async function start() {
    if (starting || connection.state !== HubConnectionState.Disconnected) return;
    starting = true;
    clearTimeout(timer);
    try {
      await connection.start();
      attempt = 0;
      directFailures = 0;
      handlers.state("live");
      handlers.synced();
    } catch {
      handlers.state("reconnecting");
      if (direct && ++directFailures >= 2 && navigator.onLine !== false) {
        direct = false;
        connection = build();
      }
      timer = setTimeout(start, reconnectDelayMs(attempt++));
    } finally {
      starting = false;
    }
  }

  /** Reconnect now (the page became visible, the network came back) instead of waiting for the next retry. */
  async function kick() {
    if (connection.state === HubConnectionState.Reconnecting) {
      try {
        await connection.stop(); // onclose starts again
      } catch {
        // already closing
      }
    }
    attempt = 0;
    start();
  }

  /** A hub method's answer (GetShow, GetResults), or null when not connected or no answer within 5 s (a socket that
   * died while asleep). */
  async function ask(method) {
    if (connection.state !== HubConnectionState.Connected) return null;
    let timeout;
    try {
      return await Promise.race([
        connection.invoke(method),
        new Promise((resolve) => {
          timeout = setTimeout(() => resolve(null), 5000);
        }),
      ]);
    } catch {
      return null;
    } finally {
      clearTimeout(timeout);
    }
  }

  return { start, kick, ask, isLive: () => connection.state === HubConnectionState.Connected };
}

