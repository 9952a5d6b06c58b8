const DEFAULT_API_URL = '/api/v1';

function parseApiUrl(raw: string | undefined): string {
  const value = raw?.trim() || DEFAULT_API_URL;
  if (!value.startsWith('/') && !/^https?:\/\//.test(value)) {
    throw new Error(`VITE_API_URL must be a path or an http(s) URL, got "${value}"`);
  }
  // Paths are appended as `${API_URL}/products`, so a trailing slash would double up.
  return value.replace(/\/+$/, '');
}

/** Build-time configuration, validated once at startup. */
export const env = {
  API_URL: parseApiUrl(import.meta.env.VITE_API_URL),
  APP_NAME: 'Edge Shop',
  IS_DEV: import.meta.env.DEV,
} as const;
