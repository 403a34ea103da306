// The entry portal's texts (voter-web/src/enter/texts.js), run by Node's own test runner (no packages):
//   node --test tests/node/enter-texts.test.mjs
// Every language says everything English says, in the same form (text or a function of the values shown), so a
// Japanese visitor never meets a missing text or a blank.

import assert from "node:assert/strict";
import { test } from "node:test";
import { pickLanguage, texts } from "../../voter-web/src/enter/texts.js";

const sample = { maxPerPerson: 3, maxPerPersonPerCategory: 1, premieredAfter: "2025-09-01" };

/** Every path of a text tree with its kind: "refusals.permission" → "function". */
function shape(tree, prefix = "") {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === "object" ? shape(value, `${prefix}${key}.`) : [[`${prefix}${key}`, typeof value]]);
}

test("Every language has every text English has, of the same kind, and no other", () => {
  const english = shape(texts.en);
  for (const [lang, tree] of Object.entries(texts)) {
    assert.deepEqual(shape(tree).sort(), [...english].sort(), `texts.${lang}`);
  }
});

test("Every text, filled with values, is a non-empty string", () => {
  for (const [lang, tree] of Object.entries(texts)) {
    for (const [path] of shape(tree)) {
      const value = path.split(".").reduce((node, key) => node[key], tree);
      const shown = typeof value === "function" ? value(path.startsWith("refusals.") ? sample : "2", "3") : value;
      assert.equal(typeof shown, "string", `texts.${lang}.${path}`);
      assert.ok(shown.trim().length > 0, `texts.${lang}.${path} is blank`);
      assert.ok(!shown.includes("undefined") && !shown.includes("[object"), `texts.${lang}.${path}: ${shown}`);
    }
  }
});

test("Every rule the server refuses a submission by has its own words", () => {
  // server/Entries/EntryRules.cs, Rules: the ones a submission can break.
  for (const rule of ["entries-not-open", "deadline-passed", "per-person-limit", "per-category-limit", "premiere-date", "permission"]) {
    for (const lang of Object.keys(texts)) assert.equal(typeof texts[lang].refusals[rule], "function", `texts.${lang}.refusals["${rule}"]`);
  }
  for (const rule of ["no-file", "file-failed", "per-person-limit", "per-category-limit", "premiere-date"]) {
    for (const lang of Object.keys(texts)) assert.equal(typeof texts[lang].deadlineRules[rule], "string", `texts.${lang}.deadlineRules["${rule}"]`);
  }
});

test("The language is the visitor's choice, else the first of the browser's the portal has, else English", () => {
  assert.equal(pickLanguage("ja", ["en-US"]), "ja");
  assert.equal(pickLanguage(null, ["fr-FR", "ja-JP", "en"]), "ja");
  assert.equal(pickLanguage("xx", ["de-DE"]), "en");
  assert.equal(pickLanguage(null, []), "en");
});
