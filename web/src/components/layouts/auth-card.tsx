import type { ReactNode } from 'react';

/** The narrow centred card every auth page uses. */
export function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section className="auth-card container" aria-labelledby="auth-title">
      <title>{`${title} · Edge Shop`}</title>
      <h1 id="auth-title">{title}</h1>
      {intro ? <div className="auth-card__intro">{intro}</div> : null}
      {children}
    </section>
  );
}
