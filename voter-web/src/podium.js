// The results as a list of reveals, the latest first, each with its podium: what the phone shows after every reveal
// (views/results.js) and what it announces. No page, no network: the node tests check it on its own.
//
// PublicResults (docs/protocol.md): categories (each with its winner, and its placings when the contest shows them: the
// finalists by rank, rank 1 the winner, with their mean and vote count), Best In Show (its winner) and the awards (each
// with its finalist), each with the time it was revealed.

/**
 * Every reveal in `results`, the latest first (the order of the page): { key, kind, name, at, places }.
 * - key: what was revealed, as the server names it ("category:2", "best-in-show", "awards");
 * - kind: "category" | "bestInShow" | "awards"; name: the category's name (null for the others);
 * - places: the podium, in rank order: { rank, entry, mean, votes, award, note } (mean and votes only with placings;
 *   award and note only for awards, each award its own place of rank 1).
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
  if (results.awards && results.awards.awards.length > 0) {
    reveals.push({
      key: "awards",
      kind: "awards",
      name: null,
      at: results.awards.revealedAt,
      places: results.awards.awards.map((a) => ({ rank: 1, entry: a.entry, award: a.name, note: a.note || null })),
    });
  }
  // The latest first; reveals at the same instant keep the show's order (categories, Best In Show, awards).
  return reveals
    .map((reveal, order) => ({ reveal, order, time: Date.parse(reveal.at) || 0 }))
    .sort((a, b) => b.time - a.time || a.order - b.order)
    .map((r) => r.reveal);
}

/** What identifies a reveal as the phone has seen it: what was revealed and who is on its podium (an award given after
 * the awards' reveal changes it). */
export const revealId = (reveal) => `${reveal.key}|${reveal.places.map((p) => p.entry.id).join(",")}`;

/** The reveal of `next` (a results object) that `before` did not have, the latest one; null when there is none. */
export function newReveal(before, next) {
  const seen = new Set(revealsOf(before).map(revealId));
  return revealsOf(next).find((reveal) => !seen.has(revealId(reveal))) || null;
}
