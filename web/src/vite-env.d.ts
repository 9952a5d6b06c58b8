/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Overrides the API base; the Worker serves the API same-origin, so this is only for unusual setups. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
