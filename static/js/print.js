// A Print button on the handouts. Added by script, so it is only there when it works.
"use strict";

document.querySelectorAll("[data-print-button]").forEach((place) => {
  if (typeof window.print !== "function") {
    return;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button-secondary";
  button.textContent = "Print";
  button.addEventListener("click", () => window.print());
  place.append(button);
});
