// A show watcher on the npm SignalR client, as the phone app and the consoles connect:
//   node show-client.mjs <hubUrl> [timeoutSeconds]
// Prints "connected" once the hub answered GetShow, then each showChanged payload as one JSON line, and exits 0
// after the first one; exits 1 when none came within the timeout (default 20 s) or the connection failed.
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";

const [hubUrl, timeoutSeconds = "20"] = process.argv.slice(2);
if (!hubUrl) {
  console.error("usage: node show-client.mjs <hubUrl> [timeoutSeconds]");
  process.exit(2);
}

const fail = (message) => {
  console.error(message);
  process.exit(1);
};
const timer = setTimeout(() => fail(`no showChanged within ${timeoutSeconds} s`), Number(timeoutSeconds) * 1000);

// Negotiate first (the default), then WebSockets; the logger writes warnings and errors to stderr only.
const connection = new HubConnectionBuilder()
  .withUrl(hubUrl)
  .withAutomaticReconnect()
  .configureLogging(LogLevel.Warning)
  .build();

connection.on("showChanged", async (state) => {
  console.log(JSON.stringify(state));
  clearTimeout(timer);
  await connection.stop();
  process.exit(0);
});

try {
  await connection.start();
  // Pushes only carry changes: a client reads the current state once connected (and again after a reconnect).
  // The answer also means the server has registered this connection, so the next push reaches it.
  await connection.invoke("GetShow");
  console.log("connected");
} catch (error) {
  fail(`could not connect to ${hubUrl}: ${error}`);
}
