// Applies the theme setting. 'system' follows the OS (prefers-color-scheme), live; light and dark
// force it. The page's CSS knows only data-theme="light" and "dark", so each palette exists once.
export type Theme = 'system' | 'light' | 'dark';

const osPrefersDark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
let chosen: Theme = 'system';

function paint(): void {
  document.documentElement.dataset.theme = chosen === 'system' ? (osPrefersDark?.matches ? 'dark' : 'light') : chosen;
}

osPrefersDark?.addEventListener('change', () => {
  if (chosen === 'system') paint();
});

export function applyTheme(theme: Theme): void {
  chosen = theme;
  paint();
}
