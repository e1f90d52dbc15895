// Applies the theme setting: 'system' lets CSS follow prefers-color-scheme; light/dark force it.
export type Theme = 'system' | 'light' | 'dark';

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}
