/* guidegen search: a header button opens a dialog; its results come from Pagefind's JS API
 * (pagefind.js and the index of the page's <html lang>, originals only), loaded on first open.
 * No Pagefind UI: the dialog's markup is in partials/search-dialog.html, its texts in
 * pagefind/guidegen-ui.json (those needed before loading are in the markup).
 * Each page found shows the sections where the words are: the page's text is cut at its
 * headings and FAQ entries (Pagefind's anchors), each section links to its heading and shows an
 * excerpt of its body around the match, never the heading itself. A diacritic-free variant
 * page links results to its own version and shows them folded, like itself. Words Pagefind does
 * not fold (Polish ł) are matched through the index-only `folded` metadata, which has no place
 * on the page: such words are found in the page text by folding it like the query. */
(() => {
  "use strict";

  const EXCERPT_WORDS = 24;
  const PAGE_SIZE = 4;
  const SECTIONS_SHOWN = 3;
  const QUESTION_WORDS = 40;
  /* The longest FAQ question read as a section title (a question ends with its "?"). */

  /** Replace letters with the fold table of the settings (guidegen.fold's tables). */
  const foldText = (text, table) => Array.from(text, (c) => table[c] ?? c).join("");

  /** Fold a word for matching: our table, then combining marks removed, lowercased. */
  const matchKey = (word, table) =>
    foldText(word, table).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

  /** Tell whether a word matches one of the folded query terms (as a prefix, like Pagefind). */
  const matches = (word, terms, table) => {
    const key = matchKey(word.replace(/^\P{L}+/u, ""), table);
    return terms.some((term) => key.startsWith(term));
  };

  /** Return the link of a page of the index in the reader's version, or null if it is not one. */
  const versionUrl = (rawUrl, settings, root) => {
    if (typeof rawUrl !== "string" || !/^\/(?!\/)/.test(rawUrl)) return null;
    try {
      const path = rawUrl.slice(1);
      const local = path.startsWith(settings.indexPrefix)
        ? settings.prefix + path.slice(settings.indexPrefix.length)
        : path;
      const link = new URL(local, root);
      return link.href.startsWith(root.href) ? link : null;
    } catch {
      return null;
    }
  };

  /** Return the page's sections: where each starts and ends, where its body starts, its title. */
  const sections = (data, words) => {
    const anchors = (data.anchors ?? [])
      .filter((a) => (/^h\d$/i.test(a.element) && /\S/.test(a.text ?? "")) || a.element === "details")
      .filter((a) => a.id && a.location >= 0 && a.location < words.length)
      .sort((a, b) => a.location - b.location);
    const found = [];
    if (!anchors.length || anchors[0].location > 0) {
      found.push({ id: null, title: "", start: 0, body: 0 });
    }
    for (const anchor of anchors) {
      let length = 0;
      let title = anchor.text ?? "";
      if (anchor.element === "details") {
        const question = words.slice(anchor.location, anchor.location + QUESTION_WORDS);
        length = question.findIndex((w) => w.endsWith("?")) + 1;
        title = question.slice(0, length).join(" ");
      } else {
        length = title.trim().split(/\s+/).length;
      }
      const page = /^h1$/i.test(anchor.element);
      found.push({
        id: page ? null : anchor.id,
        title: page ? "" : title,
        start: anchor.location,
        body: anchor.location + length,
      });
    }
    return found.map((s, i) => ({ ...s, end: found[i + 1]?.start ?? words.length }));
  };

  /** Return where the query's words are: Pagefind's scored locations, else our fold's. */
  const hits = (data, words, terms, table) => {
    const located = (data.weighted_locations ?? []).filter((l) => l.location < words.length);
    const own = [];
    words.forEach((word, location) => {
      if (matches(word, terms, table)) own.push({ location, balanced_score: 1 });
    });
    return located.length ? located : own;
  };

  /** Cut an excerpt of a section's body around its best hit: text segments, hits marked. */
  const excerpt = (section, words, found, marked) => {
    const inBody = found.filter((h) => h.location >= section.body && h.location < section.end);
    const best = inBody.reduce((a, b) => (b.balanced_score > a.balanced_score ? b : a), inBody[0]);
    const ideal = best ? best.location - Math.floor(EXCERPT_WORDS / 3) : section.body;
    const start = Math.max(section.body, Math.min(ideal, section.end - EXCERPT_WORDS));
    const end = Math.min(section.end, start + EXCERPT_WORDS);
    const segments = [{ text: start > section.body ? "… " : "", marked: false }];
    for (let at = start; at < end; at++) {
      segments.push({ text: words[at], marked: marked(at) });
      segments.push({ text: at + 1 < end ? " " : end < section.end ? " …" : "", marked: false });
    }
    return segments.filter((s) => s.text);
  };

  /** Turn a page found into what the reader sees: its title and best sections, words marked. */
  const toHit = (data, terms, settings, root) => {
    const page = versionUrl(data.raw_url ?? data.url, settings, root);
    if (!page) return null;
    const table = settings.fold;
    const words = String(data.content ?? "").split(/[\r\n\s]+/);
    const found = hits(data, words, terms, table);
    const located = new Set(found.map((h) => h.location));
    const marked = (at) => located.has(at) || matches(words[at], terms, table);
    const scored = sections(data, words)
      .map((section) => ({
        section,
        score: found
          .filter((h) => h.location >= section.start && h.location < section.end)
          .reduce((sum, h) => sum + h.balanced_score, 0),
      }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, SECTIONS_SHOWN);
    const chosen = scored.length ? scored.map((s) => s.section) : sections(data, words).slice(0, 1);
    const show = settings.foldResults ? (text) => foldText(text, table) : (text) => text;
    const heading = (text) =>
      text
        .split(/(\s+)/)
        .map((part) => ({ text: show(part), marked: /\S/.test(part) && matches(part, terms, table) }));
    return {
      title: heading(String(data.meta?.title ?? "")),
      sections: chosen.map((section) => {
        const link = new URL(page);
        link.hash = section.id ?? "";
        return {
          url: link.href,
          title: heading(section.title),
          segments: excerpt(section, words, found, marked).map((s) => ({ ...s, text: show(s.text) })),
        };
      }),
    };
  };

  /** Make a text node, or a <mark> for a highlighted segment. */
  const segmentNode = (segment) =>
    segment.marked
      ? Object.assign(document.createElement("mark"), { textContent: segment.text })
      : document.createTextNode(segment.text);

  /** Fill a result or section item from its template: link, section title, excerpt. */
  const fill = (template, section) => {
    const item = template.content.firstElementChild.cloneNode(true);
    const part = (name) => item.querySelector(`[data-gg-search-${name}]`);
    part("link").href = section.url;
    part("section").append(...section.title.map(segmentNode));
    part("section").hidden = !section.title.length;
    part("excerpt").append(...section.segments.map(segmentNode));
    return item;
  };

  /** Make a page's list item: its title and best section, then its other sections. */
  const renderHit = (ui, hit) => {
    const [best, ...others] = hit.sections;
    const item = fill(ui.template, best);
    item.querySelector("[data-gg-search-title]").append(...hit.title.map(segmentNode));
    const list = item.querySelector("[data-gg-search-sections]");
    list.append(...others.map((section) => fill(ui.subtemplate, section)));
    list.hidden = !others.length;
    return item;
  };

  /** Fill a text's [COUNT] and [SEARCH_TERM] placeholders. */
  const format = (text, count, term) =>
    text.replaceAll("[COUNT]", String(count)).replaceAll("[SEARCH_TERM]", term);

  /** Return the message announcing how many results a query found, in the page's plural. */
  const countMessage = (strings, count, term) => {
    const plural = new Intl.PluralRules(document.documentElement.lang).select(count);
    const text = strings[`results_${plural}`] ?? strings.results_other;
    return format(count ? text : strings.zero_results, count, term);
  };

  /** Return the page's path below the site root, decoded where it can be. */
  const sitePath = (root) => {
    const path = location.pathname.slice(root.pathname.length);
    try {
      return decodeURI(path);
    } catch {
      return path;
    }
  };

  /** Pick the settings of the page's version: the longest site prefix its path starts with. */
  const versionSettings = (all, root) => {
    const path = sitePath(root);
    const version = all.versions.find((v) => path.startsWith(v.prefix)) ?? all.versions.at(-1);
    return { ...version, fold: all.fold };
  };

  /** Find the dialog's parts. */
  const parts = (dialog) => {
    const part = (name) => dialog.querySelector(`[data-gg-search-${name}]`);
    return {
      form: part("form"),
      input: part("input"),
      clear: part("clear"),
      close: part("close"),
      status: part("status"),
      retry: part("retry"),
      list: part("results"),
      more: part("more"),
      template: part("result"),
      subtemplate: part("subresult"),
    };
  };

  /** Put the version's texts on the dialog's controls. */
  const label = (ui, strings) => {
    ui.input.placeholder = strings.placeholder;
    ui.input.setAttribute("aria-label", strings.search_label);
    ui.clear.textContent = strings.clear_search;
    ui.close.setAttribute("aria-label", strings.close);
    ui.list.setAttribute("aria-label", strings.results_label);
    ui.more.textContent = strings.load_more;
  };

  /** Return the result links shown, in order. */
  const links = (ui) => Array.from(ui.list.querySelectorAll("a"));

  /** Move focus with the arrow keys: from the search box into the results and back. */
  const navigate = (ui, event) => {
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    const all = [ui.input, ...links(ui)];
    const at = all.indexOf(document.activeElement);
    if (!step || at < 0 || all.length < 2) return;
    event.preventDefault();
    all[Math.min(Math.max(at + step, 0), all.length - 1)].focus();
  };

  /** Mark the status as waiting for results, or not. */
  const busy = (ui, waiting) => {
    if (waiting) ui.status.setAttribute("aria-busy", "true");
    else ui.status.removeAttribute("aria-busy");
  };

  /** Wire the dialog's controls to Pagefind: search as the reader types, show pages of hits. */
  const connect = (ui, pagefind, settings, root) => {
    const strings = settings.strings;
    let current = { results: [], shown: 0, terms: [] };
    let generation = 0;

    const nextItems = async (state) => {
      const batch = state.results.slice(state.shown, state.shown + PAGE_SIZE);
      state.shown += batch.length;
      const data = await Promise.all(batch.map((result) => result.data()));
      return data
        .map((d) => toHit(d, state.terms, settings, root))
        .filter((hit) => hit?.sections.length)
        .map((hit) => renderHit(ui, hit));
    };

    const run = async () => {
      const term = ui.input.value.trim();
      const mine = ++generation;
      ui.clear.hidden = !ui.input.value;
      if (!term) {
        current = { results: [], shown: 0, terms: [] };
        ui.list.replaceChildren();
        ui.status.textContent = "";
        ui.more.hidden = true;
        busy(ui, false);
        return;
      }
      busy(ui, true);
      ui.status.textContent = format(strings.searching, 0, term);
      const found = await pagefind.debouncedSearch(term);
      if (found === null || mine !== generation) return;
      const terms = term.split(/\s+/).map((t) => matchKey(t, settings.fold));
      const state = { results: found.results, shown: 0, terms };
      const items = await nextItems(state);
      if (mine !== generation) return;
      current = state;
      ui.list.replaceChildren(...items);
      ui.more.hidden = state.shown >= state.results.length;
      ui.status.textContent = countMessage(strings, found.results.length, term);
      busy(ui, false);
    };

    const more = async () => {
      const state = current;
      const items = await nextItems(state);
      if (state !== current) return;
      ui.list.append(...items);
      ui.more.hidden = state.shown >= state.results.length;
      items[0]?.querySelector("a").focus();
    };

    const fail = (error) => {
      ui.status.textContent = strings.error_search;
      busy(ui, false);
      console.error(error);
    };

    label(ui, strings);
    ui.more.addEventListener("click", () => more().catch(fail));
    ui.input.addEventListener("input", () => run().catch(fail));
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      links(ui)[0]?.focus();
    });
    ui.clear.addEventListener("click", () => {
      ui.input.value = "";
      ui.input.focus();
      run().catch(fail);
    });
    return run().catch(fail);
  };

  /** Load Pagefind's engine and this version's settings, then make the dialog search. */
  const mount = async (ui, root) => {
    const bundle = new URL("pagefind/", root);
    const [all, pagefind] = await Promise.all([
      fetch(new URL("guidegen-ui.json", bundle)).then((r) => {
        if (!r.ok) throw new Error(`${r.url}: ${r.status}`);
        return r.json();
      }),
      import(new URL("pagefind.js", bundle).href),
    ]);
    await pagefind.options({ noWorker: true, excerptLength: EXCERPT_WORDS, ranking: all.ranking });
    await connect(ui, pagefind, versionSettings(all, root), root);
  };

  /** Set up the button, the keyboard shortcuts and the dialog of this page. */
  const setup = (root) => {
    const dialog = document.querySelector("[data-gg-search]");
    const button = document.querySelector("[data-gg-search-open]");
    if (!dialog || !button) return;
    const ui = parts(dialog);
    let mounted = null;
    const load = () => {
      ui.retry.hidden = true;
      busy(ui, true);
      mounted = mount(ui, root).catch((error) => {
        mounted = null;
        ui.status.textContent = ui.status.dataset.ggSearchFailed;
        ui.retry.hidden = false;
        busy(ui, false);
        console.warn(error);
      });
    };
    const open = () => {
      if (!dialog.open) dialog.showModal();
      ui.input.focus();
      if (!mounted) load();
    };
    button.addEventListener("click", open);
    ui.retry.addEventListener("click", () => {
      ui.input.focus();
      load();
    });
    ui.close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return navigate(ui, event);
      event.preventDefault(); /* a search box would clear itself first; Esc always closes */
      dialog.close();
    });
    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
      const slash = event.key === "/" && !typing && !event.ctrlKey && !event.metaKey;
      const ctrlK = event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey);
      if (slash || ctrlK) {
        event.preventDefault();
        open();
      }
    });
  };

  /* This file is assets/search.js below the site root, on every page and version alike. */
  setup(new URL("../", document.currentScript.src));
})();
