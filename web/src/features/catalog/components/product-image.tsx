// Shown when a product has no image; inline so it costs no request and works offline.
const PLACEHOLDER =
  'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"%3E%3Crect width="4" height="3" fill="%23e5e7eb"/%3E%3C/svg%3E';

interface ProductImageProps {
  src: string | null | undefined;
  alt: string;
  className?: string;
  width?: number;
  height?: number;
  eager?: boolean;
}

/** Product images with fixed intrinsic size (no layout shift) and lazy loading below the fold. */
export function ProductImage({ src, alt, className, width = 400, height = 300, eager = false }: ProductImageProps) {
  return (
    <img
      className={className}
      src={src || PLACEHOLDER}
      alt={alt}
      width={width}
      height={height}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
    />
  );
}
