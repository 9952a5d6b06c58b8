import type { SyntheticEvent } from 'react';

// Shown when a product has no image or its image cannot be loaded; inline so it costs no request and works offline.
const PLACEHOLDER =
  'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"%3E%3Crect width="4" height="3" fill="%23e5e7eb"/%3E%3C/svg%3E';

/** An uploaded image (`/images/uploads/<id>.<ext>`) always has a small copy beside it, `<id>-thumb.<ext>`. */
const UPLOADED = /^(\/images\/uploads\/[0-9a-f-]{36})\.(jpg|png|webp|avif)$/;

/** `srcset` for an uploaded image: the browser picks the small copy where it is enough. */
export function uploadedSrcSet(src: string): string | undefined {
  const match = UPLOADED.exec(src);
  return match ? `${match[1]}-thumb.${match[2]} 480w, ${src} 1600w` : undefined;
}

const showPlaceholder = (event: SyntheticEvent<HTMLImageElement>) => {
  const img = event.currentTarget;
  if (img.src === PLACEHOLDER) return;
  img.removeAttribute('srcset');
  img.src = PLACEHOLDER;
};

interface ProductImageProps {
  src: string | null | undefined;
  alt: string;
  className?: string;
  width?: number;
  height?: number;
  eager?: boolean;
  /** How wide the image is shown, for choosing between an upload's two sizes (a card by default). */
  sizes?: string;
}

/** Product images with fixed intrinsic size (no layout shift), lazy loading below the fold and a placeholder when missing. */
export function ProductImage({ src, alt, className, width = 400, height = 300, eager = false, sizes = '(min-width: 48rem) 25vw, 50vw' }: ProductImageProps) {
  const srcSet = src ? uploadedSrcSet(src) : undefined;
  return (
    <img
      className={className}
      src={src || PLACEHOLDER}
      srcSet={srcSet}
      sizes={srcSet ? sizes : undefined}
      alt={alt}
      width={width}
      height={height}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      onError={showPlaceholder}
    />
  );
}
