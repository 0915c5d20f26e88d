// The preview page: follows the server's state (server-sent events) and shows it. No framework: the state is
// one JSON snapshot, and each part of the page is redrawn from it.
"use strict";

const $ = (id) => document.getElementById(id);
const shown = { html: 0, pdf: 0, errors: 0 };
let loading = null; // the web edition's next frame while it loads

const PAGE_WIDTH = 794; // an A4 page at the server's 96 dpi: the images' size before they load
const PAGE_HEIGHT = 1123;

function connect() {
  const events = new EventSource("/events");
  events.addEventListener("state", (event) => apply(JSON.parse(event.data)));
  events.onerror = () => setStatus("接続が切れました。プレビューが動いていれば、自動でつなぎ直します。", "offline");
}

function apply(state) {
  $("source").textContent = state.source;
  document.title = `${state.source} — jpub プレビュー`;
  const { html, pdf, docx } = state.editions;
  showStatus(state, html, pdf);
  showProblems(state);
  if (html.generation && html.generation !== shown.html) loadWeb(html);
  $("web-stale").hidden = !state.failed;
  $("web-meta").textContent = html.generation ? `保存 ${html.generation} の版・${html.seconds.toFixed(2)} 秒` : "";
  showPdf(state, html, pdf);
  showWord(docx);
  if (state.closing) setStatus("プレビューは終了しました。", "offline");
}

function showStatus(state, html, pdf) {
  const errors = state.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = state.diagnostics.length - errors;
  if (state.generation > state.checked) setStatus("チェックしています…", "busy");
  else if (state.failed) setStatus(`エラー ${errors} 件：保存 ${html.generation || "—"} の版を表示しています`, "failed");
  else if (!html.generation) setStatus("最初の版を作っています…", "busy");
  else setStatus(`最新（保存 ${state.checked}）${warnings ? `・警告 ${warnings} 件` : ""}`, "ok");
}

function setStatus(text, kind) {
  const status = $("status");
  status.textContent = text;
  status.dataset.kind = kind;
}

function showProblems(state) {
  const items = state.diagnostics.map((d) => ({ ...d, where: d.line ? `${d.path}:${d.line}` : d.path }));
  for (const [name, edition] of Object.entries(state.editions)) {
    if (edition.problem) items.push({ severity: "error", where: "", text: `${label(name)}を作れませんでした: ${edition.problem}`, rule: "", message: edition.problem, edition: name });
  }
  const panel = $("problems");
  panel.hidden = items.length === 0;
  if (!items.length) {
    shown.errors = 0;
    return;
  }
  const errors = items.filter((d) => d.severity === "error").length;
  panel.dataset.kind = errors ? "failed" : "warning";
  $("problems-title").textContent = errors ? `エラー ${errors} 件${items.length > errors ? `・警告 ${items.length - errors} 件` : ""}` : `警告 ${items.length} 件`;
  $("problems-note").textContent = state.failed ? "エラーを直して保存すると、新しい版に替わります。それまでは前回の正常な版を表示しています。" : "";
  if (errors && !shown.errors) setExpanded(true); // new errors open the list; warnings wait to be asked for
  shown.errors = errors;
  const list = $("problems-list");
  list.replaceChildren(...items.map(problemItem));
}

function problemItem(d) {
  const item = document.createElement("li");
  item.className = d.severity;
  const button = document.createElement("button");
  button.type = "button";
  button.title = d.where ? `${d.where} をコピー` : "";
  const place = document.createElement("code");
  place.className = "where";
  place.textContent = d.edition ? label(d.edition) : d.line ? `${d.path}:${d.line}${d.column ? `:${d.column}` : ""}` : d.path;
  const severity = document.createElement("span");
  severity.className = "severity";
  severity.textContent = d.severity === "error" ? "エラー" : "警告";
  const message = document.createElement("span");
  message.className = "message";
  message.textContent = d.message;
  button.append(place, severity, message);
  if (d.rule) {
    const rule = document.createElement("code");
    rule.className = "rule";
    rule.textContent = d.rule;
    button.append(rule);
  }
  button.addEventListener("click", () => copy(d.where || d.message));
  item.append(button);
  return item;
}

function setExpanded(open) {
  $("problems-list").hidden = !open;
  $("problems").dataset.open = String(open);
  $("problems-toggle").setAttribute("aria-expanded", String(open));
  $("problems-toggle").textContent = open ? "隠す" : "表示";
}

// The new edition loads in a second frame behind the one shown, is scrolled to where the reader was, and only
// then takes its place: no blank flash, no jump back to the top.
function loadWeb(html) {
  shown.html = html.generation;
  const frames = $("frames");
  if (loading) loading.remove();
  const next = document.createElement("iframe");
  next.title = "ウェブ版";
  next.setAttribute("sandbox", "allow-same-origin allow-popups allow-popups-to-escape-sandbox");
  next.className = "loading";
  next.src = `/out/${encodeURIComponent(html.file)}?v=${html.generation}`;
  loading = next;
  next.addEventListener("load", () => {
    if (loading !== next) return;
    const current = frames.querySelector("iframe.current");
    try {
      const from = current && current.contentWindow;
      if (from) next.contentWindow.scrollTo({ left: from.scrollX, top: from.scrollY, behavior: "instant" });
    } catch {
      // the reader followed a link to another site in the frame: its position cannot be read, start at the top
    }
    next.className = "current";
    for (const old of frames.querySelectorAll("iframe:not(.current), .empty")) old.remove();
    if (current) current.remove();
    loading = null;
  });
  frames.append(next);
}

function showPdf(state, html, pdf) {
  const stale = pdf.building || (pdf.generation && pdf.generation < html.generation);
  $("pdf-stale").hidden = !stale;
  $("pdf-stale").textContent = pdf.building ? "更新中" : "古い版";
  $("pdf-meta").textContent = pdf.generation ? `保存 ${pdf.generation} の版・${pdf.pages} ページ・${pdf.seconds.toFixed(2)} 秒` : "";
  $("pages").classList.toggle("stale", Boolean(stale));
  const open = $("pdf-open");
  open.hidden = !pdf.file;
  if (pdf.file) open.href = `/out/${encodeURIComponent(pdf.file)}?v=${pdf.generation}`;
  if (!pdf.generation || pdf.generation === shown.pdf) return;
  shown.pdf = pdf.generation;
  const pages = $("pages");
  if (!state.pageImages) {
    pages.replaceChildren(note("ページの画像には pdftoppm（poppler-utils）が要ります。「PDF を開く」でブラウザーに表示できます。"));
    return;
  }
  for (const empty of pages.querySelectorAll(".empty")) empty.remove();
  const images = [...pages.querySelectorAll("img")];
  for (let page = 1; page <= pdf.pages; page++) {
    let image = images[page - 1];
    if (!image) {
      image = document.createElement("img");
      image.width = PAGE_WIDTH;
      image.height = PAGE_HEIGHT;
      image.loading = "lazy";
      image.alt = `${page} ページ`;
      pages.append(image);
    }
    image.src = `/pdf/pages/${page}.png?v=${pdf.generation}`; // the old picture stays until the new one is drawn
  }
  for (const extra of images.slice(pdf.pages)) extra.remove();
}

function showWord(docx) {
  const button = $("word-build");
  button.disabled = docx.building;
  button.textContent = docx.building ? "Word 版を作成中…" : "Word 版を作る";
  const get = $("word-get");
  get.hidden = !docx.generation || docx.building;
  if (docx.generation) {
    get.href = `/out/${encodeURIComponent(docx.file)}?v=${docx.generation}`;
    get.textContent = `Word 版を保存（保存 ${docx.generation} の版）`;
  }
}

function note(text) {
  const p = document.createElement("p");
  p.className = "empty";
  p.textContent = text;
  return p;
}

function label(edition) {
  return { html: "ウェブ版", pdf: "PDF", docx: "Word 版" }[edition] || edition;
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast(`コピーしました: ${text}`);
}

function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 2000);
}

setExpanded(false);
$("problems-toggle").addEventListener("click", () => setExpanded($("problems-list").hidden));
$("word-build").addEventListener("click", () => fetch("/build/docx", { method: "POST" }));
connect();
