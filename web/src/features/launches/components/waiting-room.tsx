import { Link } from 'react-router';

import { ErrorState } from '@/components/ui/empty-state';
import { FormError } from '@/components/ui/form-field';
import { SkeletonRows } from '@/components/ui/skeleton';
import { useJoinLine, useTicket } from '@/features/launches/api/launches';
import { JoinLine } from '@/features/launches/components/join-line';
import { getErrorMessage } from '@/lib/error-message';
import { formatDateTime } from '@/lib/format';
import type { Launch, WaitingRoomTicket } from '@/types/api';

const wait = (seconds: number) => (seconds < 60 ? `about ${seconds} s` : `about ${Math.ceil(seconds / 60)} min`);

function Waiting({ ticket }: { ticket: WaitingRoomTicket }) {
  return (
    <>
      <p className="waiting-room__position">
        You are <strong data-testid="position">number {ticket.position}</strong> in line
      </p>
      <p>
        {ticket.peopleAhead === 0 ? 'Nobody is ahead of you.' : `${ticket.peopleAhead} ${ticket.peopleAhead === 1 ? 'person is' : 'people are'} ahead of you.`} Estimated wait:{' '}
        {wait(ticket.estimatedWaitSeconds)}.
      </p>
      <p className="form__note">Keep this page open or come back later: your place is kept, even after a reload.</p>
    </>
  );
}

interface WaitingRoomProps {
  launch: Launch;
  /** Admitted: put the product in the cart and go to the checkout. */
  onBuy: () => void;
  buying: boolean;
  buyError: unknown;
}

/** The buyer's place in a launch's line: join, position and estimate while waiting, then Buy now. */
export function WaitingRoom({ launch, onBuy, buying, buyError }: WaitingRoomProps) {
  const ticket = useTicket(launch.productId);
  const join = useJoinLine(launch.productId);

  if (ticket.isPending) return <SkeletonRows rows={3} />;
  if (ticket.isError) return <ErrorState message={getErrorMessage(ticket.error)} onRetry={() => void ticket.refetch()} />;
  const place = ticket.data;
  const joinButton = (label: string) => <JoinLine siteKey={launch.botCheck?.siteKey || null} label={label} join={join} />;

  return (
    <section className="card waiting-room" aria-labelledby="waiting-room-title" data-ticket-state={place?.state ?? 'none'}>
      <h2 id="waiting-room-title">{launch.status === 'upcoming' ? `Opens ${formatDateTime(launch.startsAt)}` : 'The line is open'}</h2>
      <div aria-live="polite">
        {!place ? joinButton('Join the line') : null}
        {place?.state === 'waiting' ? <Waiting ticket={place} /> : null}
        {place?.state === 'admitted' ? (
          <>
            <p className="waiting-room__position">It’s your turn.</p>
            <p>
              Buy up to {place.admission?.maxQuantity ?? 1} before {place.admission ? formatDateTime(place.admission.expiresAt) : 'your admission expires'}.
            </p>
            <button type="button" className="button button--primary button--large" onClick={onBuy} disabled={buying}>
              {buying ? 'Adding…' : 'Buy now'}
            </button>
          </>
        ) : null}
        {place?.state === 'used' ? (
          <p>
            You have used your turn in this launch. <Link to="/orders">See your orders</Link>
          </p>
        ) : null}
        {place?.state === 'expired' ? (
          <>
            <p>Your turn expired before you bought.</p>
            {joinButton('Join the line again')}
          </>
        ) : null}
      </div>
      <FormError message={join.isError ? getErrorMessage(join.error) : buyError ? getErrorMessage(buyError) : null} />
    </section>
  );
}
