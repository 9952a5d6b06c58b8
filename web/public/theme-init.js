// Runs before the stylesheet paints so a saved light/dark choice never flashes the other theme. A file, not an
// inline script, so the Content-Security-Policy (web/public/_headers) can forbid inline scripts altogether.
// Keep in sync with src/stores/theme-store.ts (storage key, values, colours).
(function () {
  var theme = 'light';
  try {
    var saved = localStorage.getItem('edge-shop.theme');
    theme = saved === 'light' || saved === 'dark' ? saved
      : window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  } catch {
    // No storage (private mode, blocked): fall back to the system preference.
  }
  var root = document.documentElement;
  root.setAttribute('data-theme', theme);
  root.style.colorScheme = theme;
  var metas = document.querySelectorAll('meta[name="theme-color"]');
  for (var i = 0; i < metas.length; i++) metas[i].setAttribute('content', theme === 'dark' ? '#0f1115' : '#ffffff');
})();
