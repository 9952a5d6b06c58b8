import { Link } from 'react-router';

import { useProducts } from '@/features/catalog/api/get-products';
import { HomeSearch } from '@/features/catalog/components/home-search';
import { ProductGrid } from '@/features/catalog/components/product-grid';

function FeaturedProducts() {
  const featured = useProducts({ page: 1, size: 8, sort: 'createdAt,DESC' });
  return (
    <section className="container" aria-labelledby="featured-title">
      <div className="page__header section-title">
        <h2 id="featured-title">Featured Products</h2>
        <Link to="/products">See the whole catalog →</Link>
      </div>
      <ProductGrid
        products={featured.data?.data}
        isPending={featured.isPending}
        error={featured.error}
        onRetry={() => void featured.refetch()}
        label="Featured products"
      />
    </section>
  );
}

export function Component() {
  return (
    <>
      <title>Edge Shop — independent sellers, one checkout</title>
      <section className="hero" aria-labelledby="hero-title">
        <div className="hero__inner container">
          <p className="hero__eyebrow">A marketplace of independent shops</p>
          <h1 id="hero-title" className="hero__title">
            Find something made with care, from sellers who know their craft.
          </h1>
          <p className="hero__lead">
            Electronics, clothing, kitchenware and more from independent sellers — with live stock, secure payment and
            order tracking built in.
          </p>
          <HomeSearch />
          <div className="hero__actions">
            <Link className="button button--primary button--large" to="/products">
              Browse the catalog
            </Link>
            <Link className="button button--secondary button--large" to="/categories">
              Shop by category
            </Link>
          </div>
        </div>
      </section>
      <FeaturedProducts />
    </>
  );
}
