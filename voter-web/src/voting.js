// What takes votes, followed from the hub's numbered changes (docs/protocol.md, "Voting changes"). A change applies to
// the state of the version just before it; a phone that holds another version missed a push (or holds none yet) and
// fetches the snapshot instead. No page, no network of its own: session.js gives it both.

import { oneAtATime } from "./net.js";

/** The snapshot after `change`, from `voting` (the state of version `change.version - 1`); null when it does not apply
 * there (another version, a category it does not know, a kind this page does not know): fetch the snapshot. */
export function applyVotingChange(voting, change) {
  if (change.kind === "reset") return change.snapshot || null;
  if (!voting || voting.version !== change.version - 1) return null;
  let after = null;
  if (change.kind === "entryOpened") {
    after = replaceCategory(voting, change.categoryId, (c) =>
      change.index >= 0 && change.index <= c.votableEntries.length
        ? { ...c, votableEntries: [...c.votableEntries.slice(0, change.index), change.entry, ...c.votableEntries.slice(change.index)] }
        : null,
    );
  } else if (change.kind === "categoryChanged" && change.category) {
    after = replaceCategory(voting, change.category.categoryId, () => change.category);
  } else if (change.kind === "bestInShowChanged" && change.bestInShow) {
    after = { ...voting, bestInShow: change.bestInShow };
  }
  return after && { ...after, version: change.version };
}

function replaceCategory(voting, categoryId, replace) {
  const at = voting.categories.findIndex((c) => c.categoryId === categoryId);
  const changed = at >= 0 ? replace(voting.categories[at]) : null;
  return changed && { ...voting, categories: voting.categories.map((c, i) => (i === at ? changed : c)) };
}

/**
 * Follows the voting state: `held()` is the snapshot the page holds (or null), `take(snapshot)` makes one the page's,
 * `fetchSnapshot()` is GET /api/voting ({ status, data }). Returns { change(pushed), fetch() }: `change` for each
 * push, `fetch` to fetch the snapshot (after each (re)connect; one fetch at a time, and one more when asked again
 * meanwhile). A fetched snapshot is taken unless a push taken while it was on its way is newer; without such a push
 * it is taken whatever its version (the server may have restarted).
 */
export function followVoting({ held, take, fetchSnapshot }) {
  let pushed = 0; // changes taken from pushes

  const fetch = oneAtATime(async () => {
    const seen = pushed;
    const answer = await fetchSnapshot();
    if (answer.status !== 200 || !answer.data) return;
    const now = held();
    if (pushed === seen || !now || answer.data.version >= now.version) take(answer.data);
  }, true);

  function change(pushedChange) {
    const now = held();
    if (now && pushedChange.kind !== "reset" && pushedChange.version <= now.version) return; // held already
    const next = now || pushedChange.kind === "reset" ? applyVotingChange(now, pushedChange) : null;
    if (next) {
      pushed++;
      take(next);
    } else {
      fetch(); // a push was missed, or there is nothing to apply it to yet
    }
  }

  return { change, fetch };
}
