// The clock of the cover and emergency pages. No access to anything but the page.
'use strict';
(function () {
  const time = document.querySelector('[data-clock="time"]');
  const date = document.querySelector('[data-clock="date"]');
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
  function tick() {
    const now = new Date();
    if (time) time.textContent = timeFormat.format(now);
    if (date) date.textContent = dateFormat.format(now);
    // Wake up just after the next minute starts.
    setTimeout(tick, 60_000 - (now.getTime() % 60_000) + 50);
  }
  tick();
})();
