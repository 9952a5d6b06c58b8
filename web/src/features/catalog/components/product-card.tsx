import { Link } from 'react-router';

import { SparkleIcon } from '@/components/ui/icons';
import { RatingStars } from '@/components/ui/rating-stars';
import { ProductImage } from '@/components/ui/product-image';
import { formatPrice } from '@/lib/format';
import type { ProductSummary } from '@/types/api';

export function ProductCard({ product, smartMatch = false }: { product: ProductSummary; smartMatch?: boolean }) {
  return (
    <li className="product-card">
      {/* The name link names the card; the image is decorative next to it. */}
      <ProductImage className="product-card__image" src={product.thumbnailUrl} alt="" />
      {smartMatch ? <span className="badge badge--info product-card__badge">
          <SparkleIcon className="icon-inline" /> Smart match
        </span> : null}
      <h3 className="product-card__name">
        <Link className="product-card__link" to={`/products/${product.id}`}>
          {product.name}
        </Link>
      </h3>
      {product.categoryName ? <p className="product-card__category">{product.categoryName}</p> : null}
      <RatingStars rating={product.avgRating} count={product.ratingCount} />
      <div className="product-card__meta">
        <span className="product-card__price">{formatPrice(product.price)}</span>
        {product.stockAvailable <= 0 ? <span className="badge badge--danger">Out of stock</span> : null}
      </div>
    </li>
  );
}
