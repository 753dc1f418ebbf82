// The reading room's search: the Pagefind index built with the site (pagefind/),
// queried in the browser. Pagefind keeps one index per page language (so English is
// stemmed and Chinese and Japanese are segmented as such) and loads only the one of
// the page's own language; every other language's index of the same bundle is merged
// in, so one search covers every document. mergeIndex skips a path that is a prefix
// of the primary bundle's, hence the "./" spelling of the same folder.
// Results are linked relative to this page, so the site can live under any path.

const root = new URL("../", import.meta.url);
const bundle = new URL("pagefind/", root);
const form = document.querySelector("form.search");
const status = document.getElementById("status");
const list = document.getElementById("results");

async function open() {
  const response = await fetch(new URL("pagefind-entry.json", bundle));
  if (!response.ok) throw new Error("there is no search index (the site has no documents yet)");
  const entry = await response.json();
  const pagefind = await import(new URL("pagefind.js", bundle).href);
  const own = document.documentElement.lang.toLowerCase();
  for (const language of Object.keys(entry.languages).sort()) {
    if (language !== own) {
      await pagefind.mergeIndex(new URL("./", bundle).href + "./", { language });
    }
  }
  return pagefind;
}

function item(data) {
  const li = document.createElement("li");
  const heading = document.createElement("h3");
  heading.className = "entry-title";
  heading.dir = "auto";
  const link = document.createElement("a");
  link.href = new URL(data.url.replace(/^\//, ""), root).href;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "entry-summary";
  excerpt.dir = "auto";
  // Pagefind's excerpt is the page's own text, escaped, with <mark> around the hits.
  excerpt.innerHTML = data.excerpt;
  li.append(heading, excerpt);
  return li;
}

async function run() {
  const params = new URLSearchParams(location.search);
  const query = (params.get("q") || "").trim();
  const filters = {};
  for (const select of form.querySelectorAll("select[data-filter]")) {
    const value = params.get(select.name) || "";
    select.value = value;
    if (value) filters[select.dataset.filter] = value;
  }
  form.q.value = query;
  if (!query && !Object.keys(filters).length) {
    status.textContent = "Type words to find, or choose a filter.";
    return;
  }
  status.textContent = "Searching…";
  const pagefind = await open();
  const found = await pagefind.search(query || null, { filters });
  const seen = new Set();
  const items = [];
  for (const result of found.results) {
    const data = await result.data();
    if (seen.has(data.url)) continue;  // a language index merged twice gives the same page twice
    seen.add(data.url);
    items.push(item(data));
  }
  list.replaceChildren(...items);
  status.textContent = items.length === 1 ? "1 document found." : `${items.length} documents found.`;
}

run().catch((error) => {
  status.textContent = "Search failed: " + error.message;
  throw error;
});
