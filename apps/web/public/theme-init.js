/* global window, document */
// Runs before the first paint (loaded synchronously from the root layout's <head>): puts the
// `dark` class on <html> from the saved choice or the system preference, so there is no flash.
// Keep the storage key in step with src/client/theme.ts.
(function () {
  try {
    var saved = window.localStorage.getItem('flotilla-theme');
    var isDark = saved
      ? saved === 'dark'
      : window.matchMedia('(prefers-color-scheme: dark)').matches;
    document.documentElement.classList.toggle('dark', isDark);
    document.documentElement.style.colorScheme = isDark ? 'dark' : 'light';
  } catch (_) {
    /* storage blocked: the light theme stays */
  }
})();
