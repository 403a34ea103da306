// The show hub over the npm SignalR client: pushes of what is on screen, voting and results. Reconnects forever
// (phones drop sockets when the screen locks); after every (re)connect the page does a full refresh.

import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { backoffMs } from "./net.js";

const RETRY_DELAYS = [0, 1000, 3000, 7000, 15000];

/** handlers: show(state), voting(snapshot), results(publicResults), state("live"|"reconnecting"), synced(). */
export function createLive(handlers) {
  const connection = new HubConnectionBuilder()
    .withUrl("/hubs/show")
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: ({ previousRetryCount }) =>
        RETRY_DELAYS[previousRetryCount] ?? 15000 + Math.round(Math.random() * 15000),
    })
    .configureLogging(LogLevel.None)
    .build();

  connection.on("showChanged", handlers.show);
  connection.on("votingChanged", handlers.voting);
  connection.on("resultsRevealed", handlers.results);
  connection.onreconnecting(() => handlers.state("reconnecting"));
  connection.onreconnected(() => {
    handlers.state("live");
    handlers.synced();
  });
  connection.onclose(() => {
    handlers.state("reconnecting");
    start();
  });

  let starting = false;
  let attempt = 0;
  let timer = 0;

  async function start() {
    if (starting || connection.state !== HubConnectionState.Disconnected) return;
    starting = true;
    clearTimeout(timer);
    try {
      await connection.start();
      attempt = 0;
      handlers.state("live");
      handlers.synced();
    } catch {
      handlers.state("reconnecting");
      timer = setTimeout(start, backoffMs(attempt++));
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

  /** GetShow over the hub, or null when not connected or no answer within 5 s (a socket that died while asleep). */
  async function getShow() {
    if (connection.state !== HubConnectionState.Connected) return null;
    let timeout;
    try {
      return await Promise.race([
        connection.invoke("GetShow"),
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

  return { start, kick, getShow, isLive: () => connection.state === HubConnectionState.Connected };
}
