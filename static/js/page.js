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
// Nothing is sent anywhere. Where the device cannot speak (no speech synthesis, or no
// voice installed), pressing the button says so instead of silently doing nothing.
(() => {
  const heading = document.querySelector("main h1");
  const text = document.getElementById("page-text");
  if (!heading || !text) {
    return;
  }
  const speech = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window ? window.speechSynthesis : null;
  speech?.getVoices(); // Chromium loads its voices on first asking: ask early, so that they are there by the first press.
  const LABELS = { idle: "Listen to this page", playing: "Pause", paused: "Resume" };

  const controls = document.createElement("div");
  controls.className = "listen";
  // Every label sits in the same place and only one shows: the button keeps the width of the longest.
  const play = document.createElement("button");
  play.type = "button";
  play.className = "button-secondary listen__play";
  const labels = Object.fromEntries(
    Object.entries(LABELS).map(([state, words]) => {
      const label = document.createElement("span");
      label.textContent = words;
      play.append(label);
      return [state, label];
    }),
  );
  const stop = document.createElement("button");
  stop.type = "button";
  stop.className = "button-secondary";
  stop.textContent = "Stop";
  const status = document.createElement("p");
  status.className = "listen__status";
  status.setAttribute("role", "status");
  controls.append(play, " ", stop, status);
  // After the page's heading block (its title and "Page N of M"), before the contents.
  const header = heading.closest(".page-header");
  if (header) {
    header.append(controls);
  } else {
    heading.after(controls);
  }

  // What a listener needs: the heading and the page's text, without the "#" section links.
  function words() {
    const copy = text.cloneNode(true);
    copy.querySelectorAll(".section-link, [aria-hidden=true]").forEach((element) => element.remove());
    return `${heading.textContent}. ${copy.textContent}`.replace(/\s+/g, " ").trim();
  }

  let state = "idle";
  function show(next, message = "") {
    state = next;
    Object.entries(labels).forEach(([name, label]) => label.classList.toggle("listen__label--off", name !== state));
    stop.hidden = state === "idle";
    status.classList.toggle("visually-hidden", !message);
    status.textContent = message || { idle: "", playing: "Reading aloud.", paused: "Paused." }[state];
  }

  play.addEventListener("click", () => {
    if (!speech || speech.getVoices().length === 0) {
      show("idle", "Reading aloud is not available on this device.");
    } else if (state === "idle") {
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
  if (speech) {
    window.addEventListener("pagehide", () => speech.cancel());
  }
  show("idle");
})();
