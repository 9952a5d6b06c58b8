import { Link } from 'react-router';

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="site-footer__inner container">
        <p>
          © {new Date().getFullYear()} Edge Shop. Independent sellers, one checkout. Prices in USD.
        </p>
        <nav aria-label="Footer">
          <ul className="site-footer__links">
            <li>
              <Link to="/categories">Categories</Link>
            </li>
            <li>
              <Link to="/products">Products</Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
