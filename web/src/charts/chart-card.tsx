import type { ReactNode } from 'react';

/** A titled box for one chart; `summary` is the same numbers in words for screen readers and tests. */
export function ChartCard({ title, children, className, testId }: { title: string; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`card chart-card ${className ?? ''}`} data-testid={testId} aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
