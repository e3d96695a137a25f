// "Copy link" for the share block. Progressive enhancement: without JavaScript
// the button stays hidden and the address is still there as selectable text.
"use strict";

document.querySelectorAll("button[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[role=status]");
  if (!source || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "Could not copy: select the address above and copy it.";
    }
  });
});
