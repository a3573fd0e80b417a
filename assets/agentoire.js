/* agentoire's key dispatcher, the j/k cursor and the palette's active row.
 *
 * Everything else belongs to Reflex: the palette and the help are Radix dialogs whose open state lives in
 * the Reflex state (focus trap, Esc and focus restore come with them). The keymap is data on the page
 * (`#ag-keymap[data-keymap]`, generated from agentoire_app/keymap.py); an action Reflex owns is carried out by
 * clicking its hidden trigger (`[data-trigger=<action>]`, components/bridge.py).
 *
 * Rules (after Miniflux's keyboard_handler.js): single keys never fire while the focus is in a text
 * field or with Ctrl/⌘/Alt held (Ctrl/⌘+K excepted); `g x` sequences allow about a second between keys.
 */
(() => {
  "use strict";
  const SEQUENCE_MS = 1000;
  const STATUS_EVERY_MS = 10000;
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  function keymap() {
    const el = $("#ag-keymap");
    try { return JSON.parse(el.dataset.keymap); } catch (e) { return { single: {}, sequences: {} }; }
  }

  const trigger = (action) => { const el = $(`[data-trigger="${action}"]`); if (el) el.click(); return !!el; };
  const openDialog = () => $("[data-overlay]");

  function isTyping(target) {
    if (!target || target === document.body) return false;
    if (target.isContentEditable) return true;
    const tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    const type = (target.getAttribute("type") || "text").toLowerCase();
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file", "image"].includes(type);
  }

  // ---------------------------------------------------------------- focus back after a dialog
  // Radix gives the focus back to a Dialog.Trigger; ours open by keys, so the dialogs ask for this instead.
  let lastFocus = null;
  document.addEventListener("focusin", (event) => { if (!event.target.closest("[data-overlay]")) lastFocus = event.target; });
  function restoreFocus() {
    if (lastFocus && document.contains(lastFocus) && !openDialog()) lastFocus.focus({ preventScroll: true });
  }

  // The server puts the page's own <title> in the shell for readers without JavaScript; from here on the app
  // owns the title, and the served one would otherwise outlive the first navigation.
  $$("title[data-ag-head]").forEach((el) => el.remove());

  // ---------------------------------------------------------------- status bar (counts while visible)
  // The server pushes a refresh when stories land or a tool is approved (the status bar then says
  // data-updates="push"); the poll is only the fallback for a worker that cannot push.
  const refreshStatus = () => { if (document.visibilityState === "visible") trigger("status"); };
  const pushed = () => !!$("[data-testid='status-bar'][data-updates='push']");
  setInterval(() => { if (!pushed()) refreshStatus(); }, STATUS_EVERY_MS);
  document.addEventListener("visibilitychange", refreshStatus);

  // ---------------------------------------------------------------- the palette's active row
  // Reflex renders the first row of each answer active (the list is keyed by its query); the arrows and
  // the mouse move `aria-selected` here, within the frame; Enter clicks the active row (Reflex's pick).
  const options = () => $$("#ag-palette-list [role='option']");
  const activeIndex = (all) => Math.max(0, all.findIndex((o) => o.getAttribute("aria-selected") === "true"));

  function select(index, scroll = true) {
    const all = options();
    if (all.length === 0) return;
    const next = (index + all.length) % all.length;
    all.forEach((o, i) => o.setAttribute("aria-selected", i === next ? "true" : "false"));
    const input = $("[data-testid='palette-input']");
    if (input) input.setAttribute("aria-activedescendant", all[next].id);
    if (scroll) all[next].scrollIntoView({ block: "nearest" });
  }

  function paletteKeydown(event) {
    const all = options();
    const current = activeIndex(all);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      select(current + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && all[current]) {
      event.preventDefault();
      all[current].dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true,
        ctrlKey: event.ctrlKey, metaKey: event.metaKey }));
    }
  }

  document.addEventListener("mousemove", (event) => {
    const option = event.target.closest && event.target.closest("#ag-palette-list [role='option']");
    if (option && option.getAttribute("aria-selected") !== "true") select(options().indexOf(option), false);
  });
  // A command row: Reflex closes the palette (the row's own click), the action runs here.
  document.addEventListener("click", (event) => {
    const command = event.target.closest && event.target.closest("#ag-palette-list [data-action]");
    if (command) run(command.dataset.action);
  });

  // ---------------------------------------------------------------- list cursor (j / k)
  // The cursor belongs to one visit of one list: on another address it starts afresh.
  let cursorAddress = null;
  const rows = () => $$("main [data-testid='story-item'], main [data-testid='news-item'], main [data-testid='tool-item']");

  function currentRow(all) {
    if (cursorAddress !== location.href) return -1;
    return all.findIndex((row) => row.getAttribute("aria-current") === "true");
  }

  function moveCursor(step) {
    const all = rows();
    if (all.length === 0) return;
    const current = currentRow(all);
    const next = current === -1 ? (step > 0 ? 0 : all.length - 1) : Math.max(0, Math.min(all.length - 1, current + step));
    cursorAddress = location.href;
    all.forEach((row, i) => { if (i === next) row.setAttribute("aria-current", "true"); else row.removeAttribute("aria-current"); });
    all[next].scrollIntoView({ block: "nearest" });
  }

  function openRow() {
    const all = rows();
    const link = all[currentRow(all)] && $("a[href]", all[currentRow(all)]);
    if (link) link.click();
  }

  // ---------------------------------------------------------------- actions
  const clickIn = (sel) => { const el = $(sel); if (el) el.click(); return !!el; };

  function focusSearch() {
    const box = $("main [data-page-search], main input[type='search'], main input[name='q']");
    if (!box) return trigger("palette");
    box.focus();
    if (box.select) box.select();
    return true;
  }

  function up() {
    if (clickIn("main [data-up='true']")) return;
    const list = location.pathname.match(/^\/(news|tools)\//);
    if (list) trigger(`go:/${list[1]}`);
  }

  const LOCAL = {
    search: focusSearch, up, next: () => moveCursor(1), prev: () => moveCursor(-1), open: openRow,
    "next-story": () => clickIn("main [data-story='next']"), "prev-story": () => clickIn("main [data-story='prev']"),
  };

  function run(action) {
    return LOCAL[action] ? LOCAL[action]() : trigger(action);
  }

  // ---------------------------------------------------------------- key dispatch
  let pending = null; // first key of a sequence, with its timer

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const key = event.key;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.altKey && (key === "k" || key === "K")) {
      event.preventDefault();
      trigger("palette");
      return;
    }
    const dialog = openDialog();
    if (dialog) { // Radix owns Tab and Esc inside; `?` closes the help
      if (dialog.dataset.overlay === "palette" && dialog.contains(event.target)) paletteKeydown(event);
      else if (dialog.dataset.overlay === "help" && key === "?" && !mod && !event.altKey) { event.preventDefault(); trigger("help"); }
      return;
    }
    if (mod || event.altKey) return;
    if (isTyping(event.target)) { if (key === "Escape") event.target.blur(); return; }
    if (key === "Enter" && event.target.closest && event.target.closest("a[href], button, summary")) return;

    const map = keymap();
    if (pending) {
      const action = (map.sequences[pending.key] || {})[key];
      clearTimeout(pending.timer);
      pending = null;
      if (action) { event.preventDefault(); run(action); return; }
    }
    if (map.sequences[key]) {
      pending = { key, timer: setTimeout(() => { pending = null; }, SEQUENCE_MS) };
      event.preventDefault();
      return;
    }
    const action = map.single[key];
    if (action && action !== "close") { event.preventDefault(); run(action); }
  });

  window.agentoire = { restoreFocus };
})();
