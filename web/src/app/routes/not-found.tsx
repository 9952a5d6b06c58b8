import { NotFoundMessage } from '@/components/errors/not-found-message';

export function Component() {
  return <NotFoundMessage />;
}
