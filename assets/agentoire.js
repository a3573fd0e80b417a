/* agentoire's keyboard layer, the help overlay and the palette's key glue (the palette itself is Reflex).
 *
 * The keymap comes from Python (components/keymap.py → window.AGENTOIRE_KEYMAP), the same definition
 * that renders the `?` overlay, so bindings and help cannot drift apart. React-side capabilities
 * (client-side navigation, the theme toggle, status-bar refresh) arrive through window.agentoireBridge,
 * published by components/bridge.py on every page mount.
 *
 * Rules (after Miniflux's keyboard_handler.js): single keys never fire while the focus is in a text
 * field or with Ctrl/⌘/Alt held (Ctrl/⌘+K excepted); `g x` sequences allow about a second between keys.
 */
(() => {
  "use strict";
  if (window.agentoire) return;

  const KEYMAP = window.AGENTOIRE_KEYMAP || { single: {}, sequences: {}, commands: [] };
  const SEQUENCE_MS = 1000;
  const STATUS_EVERY_MS = 10000;

  // ---------------------------------------------------------------- helpers
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const bridge = () => window.agentoireBridge || null;

  function navigate(path) {
    const b = bridge();
    if (b && path.startsWith("/")) b.navigate(path);
    else window.location.assign(path);
  }

  function isTyping(target) {
    if (!target || target === document.body) return false;
    if (target.isContentEditable) return true;
    const tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      const type = (target.getAttribute("type") || "text").toLowerCase();
      return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file", "image"].includes(type);
    }
    return false;
  }

  function isInteractive(target) {
    return !!(target && target.closest && target.closest("a[href], button, input, select, textarea, summary"));
  }

  function localMidnightISO() {
    const d = new Date();
    d.setHours(0, 0, 0, 0);
    return d.toISOString();
  }

  // ---------------------------------------------------------------- status bar
  function refreshStatus() {
    const b = bridge();
    if (b && document.visibilityState === "visible") b.refreshStatus(localMidnightISO());
  }
  setInterval(refreshStatus, STATUS_EVERY_MS);
  document.addEventListener("visibilitychange", refreshStatus);

  // ---------------------------------------------------------------- theme
  function toggleTheme() {
    const b = bridge();
    if (b) return b.toggleTheme();
    const root = document.documentElement;
    const next = root.classList.contains("dark") ? "light" : "dark";
    root.classList.remove("light", "dark");
    root.classList.add(next);
    root.style.colorScheme = next;
    try { localStorage.setItem("theme", next); } catch (e) { /* private mode */ }
  }

  // ---------------------------------------------------------------- overlays (help, palette)
  let openOverlay = null; // {name, element, restore}

  function trapFocus(event, container) {
    if (event.key !== "Tab") return;
    const focusable = $$("input, button, a[href], [tabindex]:not([tabindex='-1'])", container)
      .filter((el) => !el.disabled && el.offsetParent !== null);
    if (focusable.length === 0) { event.preventDefault(); return; }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    else if (!container.contains(document.activeElement)) { event.preventDefault(); first.focus(); }
  }

  function closeOverlay() {
    if (!openOverlay) return false;
    const { element, restore } = openOverlay;
    // Move focus out before hiding: a hidden focused input would keep receiving keys for a moment.
    if (element.contains(document.activeElement)) document.activeElement.blur();
    element.hidden = true;
    if (openOverlay.name === "palette" && bridge()) bridge().palette.close();
    document.documentElement.classList.remove("ag-modal-open");
    openOverlay = null;
    if (restore && document.contains(restore)) restore.focus({ preventScroll: true });
    return true;
  }

  function showOverlay(name, element, focusTarget) {
    const restore = openOverlay ? openOverlay.restore : document.activeElement;
    if (openOverlay) { openOverlay.element.hidden = true; }
    element.hidden = false;
    openOverlay = { name, element, restore };
    document.documentElement.classList.add("ag-modal-open");
    (focusTarget || element).focus({ preventScroll: true });
  }

  function toggleHelp() {
    if (openOverlay && openOverlay.name === "help") return closeOverlay();
    const overlay = $("#ag-help");
    if (!overlay) return;
    showOverlay("help", overlay, $("[data-testid='help-dialog']", overlay));
  }

  // ---------------------------------------------------------------- palette
  // The palette is a Reflex component (components/palette.py) fed by PaletteState, which searches and
  // groups; this is only the glue that must answer within a frame: open / close and focus, the active
  // row under the arrow keys, and Enter / ⌘-Enter / click on a row. Events go through the bridge.
  const palette = { active: 0, observer: null, list: null };
  const paletteRoot = () => $("#ag-palette");
  const paletteInput = () => $("[data-testid='palette-input']");
  const paletteOptions = () => (palette.list ? $$("[role='option']", palette.list) : []);

  function watchList() {
    // Whenever Reflex renders new rows (or answers a new query), the first row is the active one again.
    const list = $("#ag-palette-list");
    if (list === palette.list) return;
    if (palette.observer) palette.observer.disconnect();
    palette.list = list;
    palette.observer = new MutationObserver(() => select(0, false));
    palette.observer.observe(list, { childList: true, subtree: true, characterData: true, attributes: true,
      attributeFilter: ["data-query"] });
  }

  function openPalette() {
    if (openOverlay && openOverlay.name === "palette") return closeOverlay();
    const root = paletteRoot();
    const input = paletteInput();
    if (!root || !input) return;
    input.value = "";
    watchList();
    select(0, false);
    showOverlay("palette", root, input);
    const b = bridge();
    if (b) b.palette.open();
  }

  function select(index, scroll = true) {
    const input = paletteInput();
    const options = paletteOptions();
    if (options.length === 0) { if (input) input.removeAttribute("aria-activedescendant"); return; }
    palette.active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", i === palette.active ? "true" : "false"));
    const current = options[palette.active];
    if (input) input.setAttribute("aria-activedescendant", current.id);
    if (scroll) current.scrollIntoView({ block: "nearest" });
  }

  function choose(index, newTab) {
    const option = paletteOptions()[index];
    if (!option) return;
    const action = option.dataset.action;
    if (action) { closeOverlay(); run(action); return; }
    const url = option.dataset.url;
    if (!url) return;
    const title = ($(".ag-palette-title", option) || option).textContent;
    const detail = ($(".ag-palette-detail", option) || {}).textContent || option.dataset.group || "";
    const b = bridge();
    if (newTab) {
      if (b) b.palette.remember(title, detail, url);
      window.open(url, "_blank", "noopener");
      return;
    }
    closeOverlay();
    // PaletteState.go stores the pick, then navigates (so the page change carries the updated list).
    if (b) b.palette.go(title, detail, url);
    else navigate(url);
  }

  function paletteKeydown(event) {
    switch (event.key) {
      case "ArrowDown": event.preventDefault(); select(palette.active + 1); break;
      case "ArrowUp": event.preventDefault(); select(palette.active - 1); break;
      case "Home": if (event.ctrlKey) { event.preventDefault(); select(0); } break;
      case "Enter": event.preventDefault(); choose(palette.active, event.ctrlKey || event.metaKey); break;
      default: break;
    }
  }

  document.addEventListener("mousemove", (event) => {
    const option = event.target.closest && event.target.closest("#ag-palette-list [role='option']");
    if (option && openOverlay && openOverlay.name === "palette") select(Number(option.dataset.index), false);
  });
  document.addEventListener("mousedown", (event) => {
    if (openOverlay && openOverlay.name === "palette" && event.target === openOverlay.element) {
      event.preventDefault();
      closeOverlay();
    }
  });

  // ---------------------------------------------------------------- list cursor (j / k)
  // The cursor belongs to one visit of one list: a navigation (even back to the same path, whose old
  // DOM React may still be showing) starts it afresh.
  let navigations = 0;
  const pushState = history.pushState;
  history.pushState = function (...args) { navigations += 1; return pushState.apply(this, args); };
  window.addEventListener("popstate", () => { navigations += 1; });
  let cursorVisit = -1;
  const rows = () => $$("main [data-testid='news-item'], main [data-testid='tool-item']");

  function currentRow(all) {
    if (cursorVisit !== navigations) return -1;
    return all.findIndex((row) => row.getAttribute("aria-current") === "true");
  }

  function moveCursor(step) {
    const all = rows();
    if (all.length === 0) return;
    const current = currentRow(all);
    const next = current === -1 ? (step > 0 ? 0 : all.length - 1) : Math.max(0, Math.min(all.length - 1, current + step));
    cursorVisit = navigations;
    all.forEach((row, i) => {
      if (i === next) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    all[next].scrollIntoView({ block: "nearest" });
  }

  function openRow() {
    const all = rows();
    const row = all[currentRow(all)];
    const link = row && $("a[href]", row);
    if (link) link.click();
  }

  // ---------------------------------------------------------------- actions
  function up() {
    const link = $("main [data-up='true']");
    if (link) return link.click();
    const path = window.location.pathname;
    if (path.startsWith("/news/")) navigate("/news");
    else if (path.startsWith("/tools/")) navigate("/tools");
  }

  function focusSearch() {
    const box = $("main [data-page-search], main input[type='search'], main input[name='q']");
    if (box) { box.focus(); if (box.select) box.select(); } else openPalette();
  }

  function story(which) {
    const link = $(`main [data-story='${which}']`);
    if (link) link.click();
  }

  function run(action) {
    if (action.startsWith("go:")) return navigate(action.slice(3));
    switch (action) {
      case "palette": return openPalette();
      case "theme": return toggleTheme();
      case "help": return toggleHelp();
      case "search": return focusSearch();
      case "close": return closeOverlay();
      case "up": return up();
      case "next": return moveCursor(1);
      case "prev": return moveCursor(-1);
      case "open": return openRow();
      case "next-story": return story("next");
      case "prev-story": return story("prev");
      default: return undefined;
    }
  }

  // ---------------------------------------------------------------- key dispatch
  let pending = null; // first key of a sequence, with its timer

  function onKeydown(event) {
    if (event.defaultPrevented || event.isComposing) return;
    const key = event.key;
    const mod = event.ctrlKey || event.metaKey;

    if (mod && !event.altKey && (key === "k" || key === "K")) {
      event.preventDefault();
      run("palette");
      return;
    }
    if (openOverlay) {
      if (key === "Escape") { event.preventDefault(); closeOverlay(); return; }
      if (openOverlay.name === "palette" && openOverlay.element.contains(event.target)) paletteKeydown(event);
      if (event.defaultPrevented) return;
      trapFocus(event, openOverlay.element);
      if (openOverlay.name === "help" && key === "?" && !isTyping(event.target)) { event.preventDefault(); closeOverlay(); }
      return;
    }
    if (mod || event.altKey) return;
    if (isTyping(event.target)) {
      if (key === "Escape") event.target.blur();
      return;
    }
    if (key === "Enter" && isInteractive(event.target)) return; // the link or button handles its own Enter

    if (pending) {
      const second = KEYMAP.sequences[pending.key] || {};
      clearTimeout(pending.timer);
      pending = null;
      if (second[key]) { event.preventDefault(); run(second[key]); return; }
    }
    if (KEYMAP.sequences[key]) {
      pending = { key, timer: setTimeout(() => { pending = null; }, SEQUENCE_MS) };
      event.preventDefault();
      return;
    }
    const action = KEYMAP.single[key];
    if (action) {
      event.preventDefault();
      run(action);
    }
  }

  document.addEventListener("keydown", onKeydown);

  document.addEventListener("click", (event) => {
    const option = event.target.closest && event.target.closest("#ag-palette-list [role='option']");
    if (option) {
      event.preventDefault();
      choose(Number(option.dataset.index), event.ctrlKey || event.metaKey);
      return;
    }
    const trigger = event.target.closest && event.target.closest("[data-action]");
    if (!trigger) return;
    event.preventDefault();
    run(trigger.dataset.action);
  });

  // Each page mount republishes the bridge: the page changed, so reset per-page state (the bridge itself
  // asks for fresh status counts on mount and whenever the socket reconnects).
  window.addEventListener("agentoire:bridge", () => {
    // A page change replaced the overlays' markup: an overlay open on the old page is gone with it.
    if (openOverlay && !document.contains(openOverlay.element)) {
      if (openOverlay.name === "palette" && bridge()) bridge().palette.close();
      openOverlay = null;
      document.documentElement.classList.remove("ag-modal-open");
    }
  });

  window.agentoire = { run, keymap: KEYMAP };
})();
