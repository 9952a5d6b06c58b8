import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { InlineConfirm } from '@/components/ui/inline-confirm';

afterEach(cleanup);

/** A promise the test settles by hand, to see the question while the action is under way. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InlineConfirm', () => {
  it('asks on the first click, acts on the second, and "Keep" backs out without acting', () => {
    const onConfirm = vi.fn();
    render(<InlineConfirm label="Delete" name="Keyboard" question="Delete Keyboard?" confirmLabel="Yes, delete" danger onConfirm={onConfirm} />);

    fireEvent.click(screen.getByRole('button', { name: 'Delete Keyboard' }));
    expect(screen.getByRole('group', { name: 'Delete Keyboard?' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Keep' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.queryByRole('group')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Delete Keyboard' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    // Nothing returned: the question closes at once.
    expect(screen.getByRole('button', { name: 'Delete Keyboard' })).toBeTruthy();
  });

  it('keeps the question open until the returned promise settles, rejected included', async () => {
    const first = deferred();
    const second = deferred();
    const onConfirm = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    render(<InlineConfirm label="Clear cart" confirmLabel="Yes, clear cart" onConfirm={onConfirm} />);

    fireEvent.click(screen.getByRole('button', { name: 'Clear cart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, clear cart' }));
    expect(screen.getByRole('button', { name: 'Yes, clear cart' })).toBeTruthy();
    await act(async () => first.resolve());
    expect(screen.getByRole('button', { name: 'Clear cart' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Clear cart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, clear cart' }));
    await act(async () => second.reject(new Error('refused')));
    expect(screen.getByRole('button', { name: 'Clear cart' })).toBeTruthy();
    expect(onConfirm).toHaveBeenCalledTimes(2);
  });

  it('shows the pending label on a disabled confirm button, and no group without a question', () => {
    render(<InlineConfirm label="Delete" confirmLabel="Confirm delete" pendingLabel="Deleting…" pending={false} onConfirm={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(screen.queryByRole('group')).toBeNull();
    cleanup();

    const { rerender } = render(<InlineConfirm label="Delete" confirmLabel="Confirm delete" pendingLabel="Deleting…" onConfirm={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    rerender(<InlineConfirm label="Delete" confirmLabel="Confirm delete" pendingLabel="Deleting…" pending onConfirm={() => undefined} />);
    expect((screen.getByRole('button', { name: 'Deleting…' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('names the back-out button as asked', () => {
    const onConfirm = vi.fn();
    render(<InlineConfirm label="Cancel order" question="Cancel this order?" confirmLabel="Yes, cancel" keepLabel="Keep order" danger onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'Cancel this order?' })).getByRole('button', { name: 'Keep order' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Cancel order' })).toBeTruthy();
  });
});
