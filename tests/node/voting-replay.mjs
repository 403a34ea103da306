// Replays a recorded show's voting changes with the phone app's own code (voter-web/src/voting.js) and checks that
// they give the server's snapshots: node tests/node/voting-replay.mjs TRACE.json
// TRACE: { "initial": snapshot, "changes": [change, ...], "snapshots": [snapshot, ...] } as the server sent them
// (tests/AmvScreening.Tests/Voting/VotingChangeTests.cs records it). Each snapshot must equal the state reached once the
// changes up to its version are applied. Prints one line per checked snapshot; exits 1 at the first difference.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { applyVotingChange } from "../../voter-web/src/voting.js";

const trace = JSON.parse(readFileSync(process.argv[2], "utf8"));
let state = trace.initial;
let next = 0;
for (const snapshot of trace.snapshots) {
  while (state.version < snapshot.version) {
    const change = trace.changes[next++];
    assert.ok(change, `no change leads from version ${state.version} to ${snapshot.version}`);
    const after = applyVotingChange(state, change);
    assert.ok(after, `change ${JSON.stringify(change)} does not apply to version ${state.version}`);
    state = after;
  }
  assert.deepEqual(state, snapshot, `version ${snapshot.version}`);
  console.log(`ok version ${snapshot.version}`);
}
assert.equal(next, trace.changes.length, "every change was applied");
console.log(`replayed ${next} changes, ${trace.snapshots.length} snapshots equal`);
