// The guide page's two enhancements: "Copy link" and "Listen to this page". Progressive
// enhancement: without JavaScript neither button appears, and the page is complete without them.
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

// "Listen to this page": the browser's own speech synthesis reads the page aloud.
// Nothing is sent anywhere. Added only where the browser can speak.
(() => {
  const heading = document.querySelector("main h1");
  const text = document.getElementById("page-text");
  if (!heading || !text || !("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) {
    return;
  }
  const speech = window.speechSynthesis;

  const controls = document.createElement("div");
  controls.className = "listen";
  const play = document.createElement("button");
  play.type = "button";
  play.className = "button-secondary";
  const stop = document.createElement("button");
  stop.type = "button";
  stop.className = "button-secondary";
  stop.textContent = "Stop";
  const status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  controls.append(play, " ", stop, status);
  heading.after(controls);

  // What a listener needs: the heading and the page's text, without the "#" section links.
  function words() {
    const copy = text.cloneNode(true);
    copy.querySelectorAll(".section-link, [aria-hidden=true]").forEach((element) => element.remove());
    return `${heading.textContent}. ${copy.textContent}`.replace(/\s+/g, " ").trim();
  }

  let state = "idle";
  function show(next) {
    state = next;
    play.textContent = { idle: "Listen to this page", playing: "Pause", paused: "Resume" }[state];
    stop.hidden = state === "idle";
    status.textContent = { idle: "", playing: "Reading aloud.", paused: "Paused." }[state];
  }

  play.addEventListener("click", () => {
    if (state === "idle") {
      speech.cancel();
      const utterance = new SpeechSynthesisUtterance(words());
      utterance.lang = document.documentElement.lang || "en-GB";
      utterance.addEventListener("end", () => show("idle"));
      utterance.addEventListener("error", () => show("idle"));
      speech.speak(utterance);
      show("playing");
    } else if (state === "playing") {
      speech.pause();
      show("paused");
    } else {
      speech.resume();
      show("playing");
    }
  });
  stop.addEventListener("click", () => {
    speech.cancel();
    show("idle");
    play.focus();
  });
  window.addEventListener("pagehide", () => speech.cancel());
  show("idle");
})();
