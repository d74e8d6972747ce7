// The GOV.UK timeout warning: two minutes before the session ends on the server, a modal dialog says so and
// offers "Stay signed in" (a request that counts as activity) or "Sign out". When time runs out the browser goes
// to the "You have been signed out" page. The server ends the session whatever happens here: without JavaScript
// the next page simply asks to sign in again.

const POLL_MARGIN_SECONDS = 5;

function plural(count, unit) {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

// "2 minutes", "1 minute 40 seconds", "35 seconds".
function words(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) {
    return plural(rest, "second");
  }
  return rest === 0 ? plural(minutes, "minute") : `${plural(minutes, "minute")} ${plural(rest, "second")}`;
}

export function initTimeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const warningSeconds = Number(dialog.dataset.warningSeconds) || 120;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcement = dialog.querySelector("[data-timeout-announcement]");
  const extendButton = dialog.querySelector("[data-timeout-extend]");
  const csrfInput = document.querySelector("#sign-out-form input[name=csrfmiddlewaretoken]");
  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let timer = null;
  let ticker = null;
  let returnFocus = null;

  const secondsLeft = () => Math.max(0, Math.round((deadline - Date.now()) / 1000));

  function schedule() {
    window.clearTimeout(timer);
    const wait = Math.max(0, deadline - warningSeconds * 1000 - Date.now());
    timer = window.setTimeout(check, wait);
  }

  function signedOut() {
    window.location.assign(dialog.dataset.endedUrl);
  }

  // Activity in another tab may have moved the end: ask the server before warning.
  async function check() {
    try {
      const response = await fetch(dialog.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const status = await response.json();
      if (!status.signed_in) {
        signedOut();
        return;
      }
      deadline = Date.now() + status.seconds_left * 1000;
    } catch {
      // The server could not be asked: warn on what this page knows.
    }
    if (secondsLeft() > warningSeconds + POLL_MARGIN_SECONDS) {
      schedule();
    } else {
      open();
    }
  }

  function tick() {
    const left = secondsLeft();
    countdown.textContent = words(left);
    // Screen readers hear the time at the start and then every 20 seconds, not every second.
    if (left % 20 === 0 || announcement.textContent === "") {
      announcement.textContent = `We will sign you out in ${words(left)}.`;
    }
    if (left <= 0) {
      window.clearInterval(ticker);
      signedOut();
    }
  }

  function open() {
    if (dialog.open) {
      return;
    }
    returnFocus = document.activeElement;
    announcement.textContent = "";
    tick();
    ticker = window.setInterval(tick, 1000);
    dialog.showModal();
  }

  function close() {
    window.clearInterval(ticker);
    if (dialog.open) {
      dialog.close();
    }
    if (returnFocus && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
  }

  async function staySignedIn() {
    const body = new FormData();
    if (csrfInput) {
      body.append("csrfmiddlewaretoken", csrfInput.value);
    }
    try {
      const response = await fetch(dialog.dataset.extendUrl, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const status = await response.json();
      if (!status.signed_in) {
        signedOut();
        return;
      }
      deadline = Date.now() + status.seconds_left * 1000;
    } catch {
      signedOut();
      return;
    }
    close();
    schedule();
  }

  extendButton.addEventListener("click", staySignedIn);
  // Escape means "stay signed in", as in the GOV.UK pattern.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  schedule();
}

export function initAllTimeoutWarnings() {
  document.querySelectorAll('[data-module="app-timeout-warning"]').forEach(initTimeoutWarning);
}
