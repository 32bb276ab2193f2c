import { useEffect, useState } from 'react';

/** `system` follows prefers-color-scheme; the other two force a theme. */
export type ThemeMode = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'agentstream.theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The chosen mode (kept in localStorage), the theme actually shown, and a setter. */
export function useTheme(): { mode: ThemeMode; resolved: 'light' | 'dark'; setMode: (mode: ThemeMode) => void } {
  const [mode, setModeState] = useState<ThemeMode>(() => (document.documentElement.dataset.theme as ThemeMode) || 'system');
  const [systemDark, setSystemDark] = useState(() => media().matches);
  useEffect(() => {
    const query = media();
    const update = () => setSystemDark(query.matches);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  const setMode = (next: ThemeMode) => {
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private windows may refuse storage; the choice still holds for this page.
    }
    setModeState(next);
    window.dispatchEvent(new Event('agentstream-theme'));
  };
  useEffect(() => {
    const sync = () => setModeState((document.documentElement.dataset.theme as ThemeMode) || 'system');
    window.addEventListener('agentstream-theme', sync);
    return () => window.removeEventListener('agentstream-theme', sync);
  }, []);
  const resolved = mode === 'system' ? (systemDark ? 'dark' : 'light') : mode;
  return { mode, resolved, setMode };
}

/** Colours for charts, which draw in SVG attributes rather than CSS. */
export function chartPalette(theme: 'light' | 'dark') {
  return theme === 'dark'
    ? { text: '#c9d1e0', grid: '#2c3444', agent: '#818cf8', tool: '#fbbf24', failed: '#f87171', cancelled: '#9ca3af', series: ['#818cf8', '#34d399', '#fbbf24', '#f472b6', '#60a5fa', '#a78bfa', '#f87171', '#2dd4bf'] }
    : { text: '#374151', grid: '#e5e7eb', agent: '#4f46e5', tool: '#d97706', failed: '#dc2626', cancelled: '#6b7280', series: ['#4f46e5', '#059669', '#d97706', '#db2777', '#2563eb', '#7c3aed', '#dc2626', '#0d9488'] };
}
