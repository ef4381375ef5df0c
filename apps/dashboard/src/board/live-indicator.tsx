import type { ReactNode } from 'react';
import type { LiveState } from './live-feed';

const WORDS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  refused: 'Live updates refused: sign in again',
};

/** The live feed's state in words (and a dot whose colour repeats them). */
export function LiveIndicator({ state }: { state: LiveState }): ReactNode {
  return (
    <p className={`live live-${state}`} role="status" data-live-state={state}>
      <span aria-hidden="true" className="live-dot" />
      {WORDS[state]}
    </p>
  );
}
