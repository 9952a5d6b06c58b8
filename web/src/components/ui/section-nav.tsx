import { NavLink } from 'react-router';

export interface SectionLink {
  to: string;
  label: string;
  /** Active only on exactly `to` (a section's index page), not on the pages under it. */
  end?: boolean;
}

/** A section's own tab strip under the header (the seller portal, the operator console); wraps on narrow screens. */
export function SectionNav({ label, links, className = '' }: { label: string; links: readonly SectionLink[]; className?: string }) {
  return (
    <nav className={`sub-nav ${className}`.trim()} aria-label={label}>
      <ul className="sub-nav__list">
        {links.map((link) => (
          <li key={link.to}>
            <NavLink className="sub-nav__link" to={link.to} end={link.end ?? false}>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
