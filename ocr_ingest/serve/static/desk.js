// The review desk's keyboard and drag-and-drop. Everything works without it: Enter saves (the form's
// first button), the approve button is a button, files are chosen with the file input.
"use strict";
(function () {
  const review = document.getElementById("review-form");
  if (review) {
    // Ctrl+Enter (or Cmd+Enter): save and approve, then the next document of the queue.
    document.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        document.getElementById("approve").click();
      }
    });
    // A focused field shows the page it was read on, and where on it (data-box: left, top, right,
    // bottom in fractions of the page) when the page was read by OCR.
    let shown = null;
    const mark = document.createElement("div");
    mark.className = "field-box";
    mark.setAttribute("aria-hidden", "true");
    review.querySelectorAll("input[data-page]").forEach((input) => {
      input.addEventListener("focus", () => {
        const page = document.getElementById("page-" + input.dataset.page);
        if (!page) return;
        if (shown) shown.classList.remove("current");
        page.classList.add("current");
        shown = page;
        mark.remove();
        if (input.dataset.box) {
          const [l, t, r, b] = input.dataset.box.split(",").map(Number);
          const pad = 0.004;
          Object.assign(mark.style, {
            left: 100 * (l - pad) + "%", top: 100 * (t - pad) + "%",
            width: 100 * (r - l + 2 * pad) + "%", height: 100 * (b - t + 2 * pad) + "%",
          });
          page.querySelector(".sheet").appendChild(mark);
          mark.scrollIntoView({ block: "center" });
        } else {
          page.scrollIntoView({ block: "nearest" });
        }
      });
    });
    const first = review.querySelector(".unsure input") || review.querySelector("input[name]:not([type=hidden])");
    if (first && !document.querySelector("[role=alert]")) first.focus();
  }
  const upload = document.getElementById("upload-form");
  if (upload) {
    const input = document.getElementById("files");
    const zone = upload.querySelector(".dropzone");
    const bar = document.getElementById("progress");
    ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("over"); }));
    ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, () => zone.classList.remove("over")));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      input.files = e.dataTransfer.files;
      upload.requestSubmit();
    });
    // Sent with progress; the answer is the status page of the files.
    upload.addEventListener("submit", (e) => {
      e.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open("POST", upload.action);
      bar.hidden = false;
      xhr.upload.addEventListener("progress", (p) => {
        if (p.lengthComputable) { bar.value = Math.round(100 * p.loaded / p.total); bar.textContent = bar.value + " %"; }
      });
      xhr.addEventListener("load", () => { window.location.assign(xhr.responseURL); });
      xhr.addEventListener("error", () => { upload.submit(); });
      xhr.send(new FormData(upload));
    });
  }
})();
