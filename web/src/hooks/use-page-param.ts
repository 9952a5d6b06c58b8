import { useSearchParams } from 'react-router';

/** The 1-based `?page=` of the URL, clamped to ≥1 so a hand-edited URL never sends page=0. */
export function usePageParam(): number {
  const [params] = useSearchParams();
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return Number.isFinite(page) && page >= 1 ? page : 1;
}
