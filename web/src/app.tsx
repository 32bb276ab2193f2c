import { lazy, Suspense, useEffect } from 'react';
import { ApiKeyPrompt, ForgetKeyButton } from './components/api-key-prompt.tsx';
import { useCatalog } from './hooks/use-catalog.ts';
import { Link, useLocation } from './router.tsx';
import { useTheme, type ThemeMode } from './theme.ts';
import { AgentView } from './views/agent-view.tsx';
import { RunPage } from './views/run-page.tsx';
import { RunsView } from './views/runs-view.tsx';
import { TeamView } from './views/team-view.tsx';

// Charts are the heaviest part of the bundle: load them when an analytics page opens.
const AnalyticsView = lazy(() => import('./views/analytics-view.tsx').then((module) => ({ default: module.AnalyticsView })));
const AnalyticsOverview = lazy(() => import('./views/analytics-overview.tsx').then((module) => ({ default: module.AnalyticsOverview })));

const NAV = [
  { href: '/agent', label: 'Agent', matches: (path: string) => path === '/agent' || path === '/' },
  { href: '/team', label: 'Team', matches: (path: string) => path === '/team' || path === '/client' },
  { href: '/runs', label: 'Runs', matches: (path: string) => path.startsWith('/runs') },
  { href: '/analytics', label: 'Analytics', matches: (path: string) => path.startsWith('/analytics') },
];

/** The shell: header with navigation, the simulated-model badge and the theme switch, then the routed view. */
export function App() {
  const { path, query } = useLocation();
  const { catalog } = useCatalog();
  const defaultModel = catalog?.models.models.find((model) => model.id === catalog.models.defaultModel);
  useEffect(() => {
    const current = NAV.find((item) => item.matches(path));
    document.title = `${current?.label ?? 'agentstream'} · agentstream`;
  }, [path]);
  return (
    <div className="app">
      <a href="#main" className="skip-link">Skip to content</a>
      <header className="topbar">
        <Link href="/agent" className="brand" aria-label="agentstream home">
          <span className="brand-mark" aria-hidden="true" />agentstream
        </Link>
        <nav aria-label="Main">
          <ul className="nav">
            {NAV.map((item) => (
              <li key={item.href}><Link href={item.href} className="nav-link" aria-current={item.matches(path) ? 'page' : undefined}>{item.label}</Link></li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          {defaultModel?.simulated && <span className="badge badge-demo" title="The default model is the built-in simulated demo model, not an LLM" data-testid="demo-badge">{defaultModel.label}</span>}
          <ForgetKeyButton />
          <ThemeSwitch />
        </div>
      </header>
      <ApiKeyPrompt />
      <main id="main" className="main">
        <Suspense fallback={<p className="page muted"><span className="spinner" aria-hidden="true" /> Loading…</p>}>{route(path, query)}</Suspense>
      </main>
    </div>
  );
}

function route(path: string, query: URLSearchParams) {
  const runMatch = /^\/runs\/([^/]+)$/.exec(path);
  if (runMatch) return <RunPage key={runMatch[1]} runId={decodeURIComponent(runMatch[1])} />;
  const analyticsMatch = /^\/analytics\/([^/]+)$/.exec(path);
  if (analyticsMatch) return <AnalyticsView key={analyticsMatch[1]} runId={decodeURIComponent(analyticsMatch[1])} />;
  switch (path) {
    case '/runs': return <RunsView />;
    case '/analytics': return <AnalyticsOverview />;
    // The AutoGen document's web client lives at /client; it opens on its business insights team.
    case '/client': return <TeamView key="client" initialTeam={query.get('team') ?? 'business_insights'} />;
    case '/team': return <TeamView key="team" initialTeam={query.get('team') ?? undefined} />;
    case '/':
    case '/agent': return <AgentView />;
    default: return <div className="page"><h1>Not found</h1><p>No page at <code>{path}</code>. <Link href="/agent">Go to the agent view</Link>.</p></div>;
  }
}

const NEXT_MODE: Record<ThemeMode, ThemeMode> = { system: 'light', light: 'dark', dark: 'system' };
const MODE_ICON: Record<ThemeMode, string> = { system: '◐', light: '☀', dark: '☾' };

function ThemeSwitch() {
  const { mode, setMode } = useTheme();
  return (
    <button type="button" className="button button-quiet theme-switch" onClick={() => setMode(NEXT_MODE[mode])} aria-label={`Theme: ${mode}. Switch to ${NEXT_MODE[mode]}`} title={`Theme: ${mode}`} data-testid="theme-switch">
      <span aria-hidden="true">{MODE_ICON[mode]}</span> <span className="theme-label">{mode}</span>
    </button>
  );
}
