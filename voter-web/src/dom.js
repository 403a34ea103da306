// Tiny DOM helpers. Text always goes in with textContent (never innerHTML): titles, names and messages are data.

/**
 * el("p#id.note.big", { "aria-live": "polite" }, "text", child, …): tag, optional id, classes. Attributes: on*
 * functions become listeners, true/false add or leave out the attribute, everything else setAttribute. Children:
 * strings become text nodes; null and false are skipped; arrays (nested too) are flattened.
 */
export function el(spec, attrs, ...children) {
  const [head, ...classes] = spec.split(".");
  const [tag, id] = head.split("#");
  const node = document.createElement(tag || "div");
  if (id) node.id = id;
  if (classes.length) node.className = classes.join(" ");
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (value === false || value == null) node.removeAttribute(name);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Sets the text of a node only when it changed (so screen readers do not hear it again). */
export function text(node, value) {
  if (node.textContent !== value) node.textContent = value;
}

/** Makes `parent`'s children exactly `nodes`, in order, moving only what must move (focus stays where it is). */
export function sync(parent, nodes) {
  nodes = nodes.filter(Boolean);
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] || null);
  });
  while (parent.children.length > nodes.length) parent.lastElementChild.remove();
}

/** Replaces the children of `parent` with `nodes`. */
export function replace(parent, ...nodes) {
  parent.replaceChildren();
  append(parent, nodes);
}

const SVG = "http://www.w3.org/2000/svg";
const PATHS = {
  star: "M12 2.8l2.8 5.8 6.4.9-4.6 4.5 1.1 6.3L12 17.3l-5.7 3 1.1-6.3-4.6-4.5 6.4-.9z",
  check: "M4.5 12.5l4.8 4.8L19.5 7",
  clock: "M12 3a9 9 0 100 18 9 9 0 000-18zM12 7.5V12l3 2",
  lock: "M7 11V8a5 5 0 0110 0v3M5.5 11h13v9.5h-13z",
  cross: "M6.5 6.5l11 11M17.5 6.5l-11 11",
  trophy: "M8 4h8v5.5a4 4 0 01-8 0zM8 6H4.5a3.5 3.5 0 003.7 4M16 6h3.5a3.5 3.5 0 01-3.7 4M12 13.5V17M8.5 20.5h7",
  offline: "M3 3l18 18M8.6 15.7a5 5 0 016.8 0M5.3 12.4a9.5 9.5 0 015.2-2.5M15.2 10.1a9.6 9.6 0 013.5 2.3M2 9a14 14 0 015-3M12 19.5h.01",
  live: "M12 6a6 6 0 100 12 6 6 0 000-12z",
  play: "M8 5.5v13l10.5-6.5z",
  music: "M9 18V6l11-2v12M9 18a3 3 0 11-6 0 3 3 0 016 0zM20 16a3 3 0 11-6 0 3 3 0 016 0z",
  person: "M12 12a4 4 0 100-8 4 4 0 000 8zM4.5 20.5a7.5 7.5 0 0115 0",
  film: "M4 5h16v14H4zM8 5v14M16 5v14M4 9.5h4M4 14.5h4M16 9.5h4M16 14.5h4",
  search: "M10.5 4a6.5 6.5 0 100 13 6.5 6.5 0 000-13zM15.5 15.5L20 20",
  info: "M12 3a9 9 0 100 18 9 9 0 000-18zM12 11v5.5M12 7.5h.01",
};
const FILLED = new Set(["star", "live", "play"]);

/** An icon with the words that say what it shows: [icon, <span>words</span>]. */
export const iconText = (name, words) => [icon(name), el("span", null, words)];

/** A decorative icon (aria-hidden: the text beside it carries the meaning). `filled` for solid shapes. */
export function icon(name, extraClass = "") {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon icon-${name} ${FILLED.has(name) ? "solid" : "line"} ${extraClass}`.trim());
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", PATHS[name]);
  svg.append(path);
  return svg;
}
