// Curation page behaviour: scroll the page image to the highlighted box, capture a number by dragging
// over it, keyboard shortcuts (j/k next/previous, a accept, e edit, x not reported).
"use strict";

(function () {
  const curator = document.getElementById("curator-name");
  if (curator) {
    const saved = window.localStorage.getItem("srtk-curator");
    if (saved) curator.value = saved;
    const sync = () => {
      window.localStorage.setItem("srtk-curator", curator.value.trim());
      document.querySelectorAll('input[name="curator"]').forEach((i) => { i.value = curator.value.trim(); });
    };
    curator.addEventListener("input", sync);
    sync();
  }

  const view = document.getElementById("pageview");
  const image = document.getElementById("page-image");

  function showHighlight() {  // the boxes are placed by the server (in % of the page); bring the chosen one into view
    if (!view || !image || !image.naturalWidth) return;
    view.classList.add("ready");
    const hl = document.getElementById("highlight");
    if (hl) {  // scroll the page view (only it) so the highlighted box is in its middle
      view.scrollTop = hl.offsetTop - view.clientHeight / 2 + hl.offsetHeight / 2;
      view.scrollLeft = Math.max(0, hl.offsetLeft - view.clientWidth / 3);
    }
  }
  if (image) {
    if (image.complete) showHighlight(); else image.addEventListener("load", showHighlight);
  }

  // Capture: drag a rectangle over the page image; the server returns the words under it.
  const drag = document.getElementById("drag");
  let start = null;
  function point(ev) {
    const r = image.getBoundingClientRect();
    return [Math.min(Math.max(ev.clientX - r.left, 0), r.width), Math.min(Math.max(ev.clientY - r.top, 0), r.height)];
  }
  function show(a, b) {
    drag.hidden = false;
    drag.style.left = Math.min(a[0], b[0]) + "px";
    drag.style.top = Math.min(a[1], b[1]) + "px";
    drag.style.width = Math.abs(a[0] - b[0]) + "px";
    drag.style.height = Math.abs(a[1] - b[1]) + "px";
  }
  if (view && image) {
    image.addEventListener("mousedown", (ev) => { ev.preventDefault(); start = point(ev); show(start, start); });
    window.addEventListener("mousemove", (ev) => { if (start) show(start, point(ev)); });
    window.addEventListener("mouseup", (ev) => {
      if (!start) return;
      let end = point(ev);
      if (Math.abs(end[0] - start[0]) < 3 && Math.abs(end[1] - start[1]) < 3) {  // a click: a small box around it
        end = [start[0] + 4, start[1] + 4]; start = [start[0] - 4, start[1] - 4];
      }
      const rect = [start[0], start[1], end[0], end[1]];
      start = null;
      capture(rect);
    });
  }

  function setField(id, value) { const el = document.getElementById(id); if (el) el.value = value; }

  async function capture(rect) {
    const out = document.getElementById("captured");
    const body = {page: Number(view.dataset.page), rect: rect, shown: [image.clientWidth, image.clientHeight]};
    const response = await fetch(view.dataset.words, {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    const data = await response.json();
    out.hidden = false;
    if (!response.ok) {
      out.className = "captured error";
      out.textContent = data.error || "no words under the selection";
      return;
    }
    out.className = "captured";
    out.textContent = "Captured from p." + data.page + ": “" + data.excerpt + "” → value " + (data.value || "(no number: type it)");
    setField("value-input", data.value);
    setField("cap-page", data.page);
    ["x0", "top", "x1", "bottom"].forEach((c, i) => setField("cap-" + c, data.bbox[i]));
    setField("cap-excerpt", data.excerpt);
    const reason = document.getElementById("reason-input");
    if (reason && !reason.value) reason.value = "read on p." + data.page + ": " + data.excerpt;
    document.getElementById("value-input").focus();
  }

  // Enter in the form saves an edit (never an accept, whatever the buttons' order).
  const form = document.getElementById("action-form");
  if (form) form.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && ev.target.tagName === "INPUT") { ev.preventDefault(); press("btn-edit"); }
  });

  // Keyboard: only when no input has the focus (Escape leaves an input).
  const rows = Array.from(document.querySelectorAll("#values tbody tr[data-href]"));
  rows.forEach((row) => row.addEventListener("click", (ev) => {
    if (ev.target.tagName !== "A") window.location = row.dataset.href;
  }));
  function move(step) {
    const at = rows.findIndex((r) => r.classList.contains("sel"));
    const next = rows[Math.min(Math.max(at + step, 0), rows.length - 1)];
    if (next && next !== rows[at]) window.location = next.dataset.href;
  }
  function press(id) { const b = document.getElementById(id); if (b) b.click(); }
  document.addEventListener("keydown", (ev) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (ev.key === "Escape" && typing) { document.activeElement.blur(); return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const actions = {
      j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
      a: () => press("btn-accept"), x: () => press("btn-notreported"),
      e: () => { const v = document.getElementById("value-input"); if (v) { v.focus(); v.select(); } },
    };
    if (actions[ev.key]) { ev.preventDefault(); actions[ev.key](); }
  });
})();
