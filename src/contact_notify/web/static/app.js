// contact-notify app: small helpers for the pages (no network, no inline script).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Copy a message's text (for WeChat).
  for (const button of document.querySelectorAll("button.copy")) {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).textContent;
      try {
        await navigator.clipboard.writeText(text);
        button.classList.add("done");
      } catch (e) {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById(button.dataset.copy));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
    });
  }
  // Search the contacts to tick, by name or number in any spelling.
  const search = document.getElementById("contact-search");
  if (search) {
    const digits = (s) => s.replace(/[^0-9]/g, "");
    search.addEventListener("input", () => {
      const q = search.value.trim().toLowerCase();
      const qd = digits(q);
      for (const li of document.querySelectorAll("#contact-list li")) {
        const hay = li.dataset.search.toLowerCase();
        const hit = !q || hay.includes(q) || (qd.length >= 3 && digits(hay).includes(qd));
        li.hidden = !hit;
      }
    });
  }
  // Show the files chosen or dropped on the drop zone.
  for (const zone of document.querySelectorAll(".dropzone")) {
    const input = zone.querySelector("input[type=file]");
    zone.addEventListener("dragover", () => zone.classList.add("over"));
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", () => zone.classList.remove("over"));
    input.addEventListener("change", () => {
      zone.dataset.files = Array.from(input.files).map((f) => f.name).join(", ");
    });
  }
});

// Leaving a page with typed, unsaved text asks first (a language switch, a step link).
document.addEventListener("DOMContentLoaded", () => {
  let submitting = false;
  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("submit", () => { submitting = true; });
  }
  const changed = () => Array.from(document.querySelectorAll("textarea, input[type=text], input:not([type])"))
    .some((field) => field.value !== field.defaultValue);
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && changed()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
