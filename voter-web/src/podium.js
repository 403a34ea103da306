// The results as a list of reveals, the latest first, each with its podium: what the phone shows after every reveal
// (views/results.js) and what it announces. No page, no network: the node tests check it on its own.
//
// PublicResults (docs/protocol.md): categories (each with its winner, and its placings when the contest shows them: the
// finalists by rank, rank 1 the winner, with their mean and vote count), Best In Show (its winner) and the awards (each
// with its finalist), each with the time it was revealed.

/**
 * Every reveal in `results`, the latest first (the order of the page): { key, kind, name, at, places }.
 * - key: what was revealed, as the server names it ("category:2", "best-in-show", "award:7");
 * - kind: "category" | "bestInShow" | "award"; name: the category's or the award's name (null for Best In Show);
 * - places: the podium, in rank order: { rank, entry, mean, votes, note } (mean and votes only with placings; note only
 *   for an award: each award is a podium of its own, revealed on its own).
 */
export function revealsOf(results) {
  if (!results) return [];
  const reveals = (results.categories || []).map((c) => ({
    key: `category:${c.categoryId}`,
    kind: "category",
    name: c.name,
    at: c.revealedAt,
    places:
      Array.isArray(c.placings) && c.placings.length > 0
        ? [...c.placings].sort((a, b) => a.rank - b.rank).map((p) => ({ rank: p.rank, entry: p.entry, mean: p.mean, votes: p.votes }))
        : [{ rank: 1, entry: c.winner }],
  }));
  if (results.bestInShow) {
    const { winner, revealedAt } = results.bestInShow;
    reveals.push({ key: "best-in-show", kind: "bestInShow", name: null, at: revealedAt, places: [{ rank: 1, entry: winner }] });
  }
  for (const a of results.awards ? results.awards.awards : []) {
    reveals.push({
      key: `award:${a.id}`,
      kind: "award",
      name: a.name,
      at: a.revealedAt || results.awards.revealedAt,
      places: [{ rank: 1, entry: a.entry, note: a.note || null }],
    });
  }
  // The latest first; reveals at the same instant keep the show's order (categories, Best In Show, awards).
  return reveals
    .map((reveal, order) => ({ reveal, order, time: Date.parse(reveal.at) || 0 }))
    .sort((a, b) => b.time - a.time || a.order - b.order)
    .map((r) => r.reveal);
}

/** What identifies a reveal as the phone has seen it: what was revealed and who is on its podium. */
export const revealId = (reveal) => `${reveal.key}|${reveal.places.map((p) => p.entry.id).join(",")}`;

/** The reveal of `next` (a results object) that `before` did not have, the latest one; null when there is none. */
export function newReveal(before, next) {
  const seen = new Set(revealsOf(before).map(revealId));
  return revealsOf(next).find((reveal) => !seen.has(revealId(reveal))) || null;
}
