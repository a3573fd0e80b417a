/* agentoire's keyboard layer, palette and help overlay.
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
  const RECENT_KEY = "agentoire:recent";
  const RECENT_MAX = 6;

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
  const palette = {
    root: null, input: null, list: null,
    items: [], active: 0, controller: null, seq: 0,
  };

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function buildPalette() {
    const input = el("input", {
      type: "text", role: "combobox", "aria-expanded": "true", "aria-controls": "ag-palette-list",
      "aria-autocomplete": "list", "aria-label": "search tools, news, categories and commands",
      placeholder: "search tools, news, categories, commands…", autocomplete: "off", spellcheck: "false",
      "data-testid": "palette-input", class: "ag-palette-input",
    });
    const list = el("div", { id: "ag-palette-list", role: "listbox", "aria-label": "results", class: "ag-palette-list" });
    const foot = el("div", { class: "ag-palette-foot", "aria-hidden": "true",
      text: "↑↓ move · enter open · ⌘/ctrl+enter new tab · esc close" });
    const dialog = el("div", { role: "dialog", "aria-modal": "true", "aria-label": "palette",
      "data-testid": "palette", class: "ag-palette" }, input, list, foot);
    const root = el("div", { class: "ag-overlay ag-palette-overlay", "data-overlay": "palette", hidden: true }, dialog);
    root.addEventListener("mousedown", (e) => { if (e.target === root) { e.preventDefault(); closeOverlay(); } });
    input.addEventListener("input", () => search(input.value));
    input.addEventListener("keydown", paletteKeydown);
    list.addEventListener("mousemove", (e) => {
      const option = e.target.closest("[role='option']");
      if (option) select(Number(option.dataset.index), false);
    });
    list.addEventListener("click", (e) => {
      const option = e.target.closest("[role='option']");
      if (!option) return;
      e.preventDefault();
      choose(Number(option.dataset.index), e.ctrlKey || e.metaKey);
    });
    document.body.append(root);
    Object.assign(palette, { root, input, list });
  }

  function openPalette() {
    if (openOverlay && openOverlay.name === "palette") return closeOverlay();
    if (!palette.root) buildPalette();
    palette.input.value = "";
    showOverlay("palette", palette.root, palette.input);
    search("");
  }

  // Same ranking as services/palette.py, for the commands (which live here, not in the database).
  function rank(name, query) {
    const n = name.toLowerCase();
    const q = query.toLowerCase();
    if (n === q) return 0;
    if (n.startsWith(q)) return 1;
    if (n.split(/[\s\-/]+/).some((w) => w.startsWith(q))) return 2;
    if (n.includes(q)) return 3;
    let i = 0;
    for (const ch of n) if (ch === q.replace(/\s/g, "")[i]) i += 1;
    return i === q.replace(/\s/g, "").length ? 4 : -1;
  }

  function commandItems(query) {
    const commands = KEYMAP.commands.map((c) => ({ group: "commands", title: c.title, detail: "",
      action: c.action, shortcut: c.shortcut, rank: query ? rank(c.title, query) : 9 }));
    return query ? commands.filter((c) => c.rank >= 0).sort((a, b) => a.rank - b.rank) : commands;
  }

  function recentItems() {
    try { return JSON.parse(localStorage.getItem(RECENT_KEY) || "[]").slice(0, RECENT_MAX); }
    catch (e) { return []; }
  }

  function remember(item) {
    if (!item.url) return;
    const entry = { group: "recent", title: item.title, detail: item.detail || item.group, url: item.url };
    const rest = recentItems().filter((r) => r.url !== item.url);
    try { localStorage.setItem(RECENT_KEY, JSON.stringify([entry, ...rest].slice(0, RECENT_MAX))); }
    catch (e) { /* private mode */ }
  }

  async function search(query) {
    const seq = ++palette.seq;
    const q = query.trim();
    if (palette.controller) palette.controller.abort();
    if (!q) { render(q, [...recentItems(), ...commandItems("")]); return; }
    const commands = commandItems(q);
    palette.controller = new AbortController();
    let results = [];
    try {
      const response = await fetch(`/api/palette?q=${encodeURIComponent(q)}`, { signal: palette.controller.signal });
      results = (await response.json()).results || [];
    } catch (e) {
      if (e.name === "AbortError") return;
    }
    if (seq !== palette.seq) return;
    // Best matches first across groups: a group's place is set by its best rank, then the fixed order.
    const order = { tools: 0, news: 1, categories: 2, commands: 3 };
    const groups = {};
    for (const item of [...results, ...commands]) (groups[item.group] ||= []).push(item);
    const sorted = Object.entries(groups).sort(([ga, a], [gb, b]) =>
      Math.min(...a.map((i) => i.rank)) - Math.min(...b.map((i) => i.rank)) || order[ga] - order[gb]);
    render(q, sorted.flatMap(([, items]) => items));
  }

  function render(query, items) {
    palette.items = items;
    palette.active = 0;
    const list = palette.list;
    list.replaceChildren();
    let group = null;
    let groupNode = null;
    items.forEach((item, index) => {
      if (item.group !== group) {
        group = item.group;
        const labelId = `ag-palette-group-${group}`;
        groupNode = el("div", { role: "group", "aria-labelledby": labelId, class: "ag-palette-group" },
          el("div", { id: labelId, class: "ag-palette-group-label", role: "presentation", text: group }));
        list.append(groupNode);
      }
      const option = el("div", {
        role: "option", id: `ag-palette-option-${index}`, "data-testid": "palette-item", "data-index": String(index),
        "data-url": item.url || null, "data-action": item.action || null, "aria-selected": "false",
        class: "ag-palette-item",
      },
      el("span", { class: "ag-palette-title", text: item.title }),
      item.detail ? el("span", { class: "ag-palette-detail", text: item.detail }) : null,
      item.shortcut ? el("kbd", { class: "ag-palette-kbd", text: item.shortcut }) : null);
      groupNode.append(option);
    });
    if (items.length === 0) {
      list.append(el("div", { class: "ag-palette-empty", role: "presentation", text: `nothing matches “${query}”` }));
    }
    list.dataset.query = query;
    select(0, false);
  }

  function select(index, scroll = true) {
    const options = $$("[role='option']", palette.list);
    if (options.length === 0) { palette.input.removeAttribute("aria-activedescendant"); return; }
    palette.active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", i === palette.active ? "true" : "false"));
    const current = options[palette.active];
    palette.input.setAttribute("aria-activedescendant", current.id);
    if (scroll) current.scrollIntoView({ block: "nearest" });
  }

  function choose(index, newTab) {
    const item = palette.items[index];
    if (!item) return;
    if (item.action) { closeOverlay(); run(item.action); return; }
    remember(item);
    if (newTab) { window.open(item.url, "_blank", "noopener"); return; }
    closeOverlay();
    navigate(item.url);
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
    const trigger = event.target.closest && event.target.closest("[data-action]");
    if (!trigger || (palette.list && palette.list.contains(trigger))) return;
    event.preventDefault();
    run(trigger.dataset.action);
  });

  // Each page mount republishes the bridge: the page changed, so reset per-page state (the bridge itself
  // asks for fresh status counts on mount and whenever the socket reconnects).
  window.addEventListener("agentoire:bridge", () => {
    if (openOverlay && openOverlay.name === "help") { openOverlay = null; document.documentElement.classList.remove("ag-modal-open"); }
  });

  window.agentoire = { run, keymap: KEYMAP, search };
})();
