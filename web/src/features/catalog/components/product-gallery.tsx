import { useState } from 'react';

import { ProductImage } from '@/components/ui/product-image';
import type { ProductImage as Image } from '@/types/api';

/** Main image plus thumbnail buttons; the selected thumbnail is marked with aria-current. */
export function ProductGallery({ images, name }: { images: Image[]; name: string }) {
  const sorted = [...images].sort((a, b) => a.sortOrder - b.sortOrder);
  const [index, setIndex] = useState(0);
  const current = sorted[Math.min(index, sorted.length - 1)];

  return (
    <div className="gallery">
      <ProductImage
        className="gallery__main"
        src={current?.url}
        alt={current?.altText || name}
        width={800}
        height={600}
        eager
        sizes="(min-width: 48rem) 50vw, 100vw"
      />
      {sorted.length > 1 ? (
        <ul className="gallery__thumbs" aria-label="Product images">
          {sorted.map((image, i) => (
            <li key={image.id}>
              <button
                type="button"
                className="gallery__thumb"
                aria-current={i === index ? 'true' : undefined}
                aria-label={`Show image ${i + 1} of ${sorted.length}${image.altText ? `: ${image.altText}` : ''}`}
                onClick={() => setIndex(i)}
              >
                <ProductImage src={image.url} alt="" width={64} height={64} sizes="64px" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
