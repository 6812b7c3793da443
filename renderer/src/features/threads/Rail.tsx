import { useShallow } from 'zustand/react/shallow';
import { formatPhone } from '../../../../shared/domain/phone';
import { useApi } from '../../api/context';
import { Icon, type IconName } from '../../components/Icon';
import { useAccountStore } from '../account/accountStore';
import { closeThread, ONE_PANE } from '../conversation/openThread';
import { useUiStore } from '../ui/uiStore';
import { totalUnread, useThreadsStore, VIEW_LABELS, type ThreadView } from './threadsStore';

const VIEWS: [ThreadView, IconName][] = [
  ['all', 'inbox'],
  ['unread', 'unread'],
  ['failed', 'failed'],
  ['scheduled', 'scheduled'],
  ['opted-out', 'blocked'],
];

/** The narrow left rail: views, our numbers, settings. */
export function Rail() {
  const api = useApi();
  const { view, ourNumber, unread } = useThreadsStore(useShallow((s) => ({ view: s.view, ourNumber: s.ourNumber, unread: totalUnread(s.unreadById) })));
  const numbers = useAccountStore((s) => s.status?.numbers) ?? [];
  const main = useUiStore((s) => s.main);
  const pick = (next: ThreadView, number: string | null) => {
    const store = useThreadsStore.getState();
    store.setView(next);
    store.setOurNumber(number);
    useUiStore.getState().showMain('conversation');
    // One pane at a time: the list picked is what the agent wants to see, not the conversation it would stay behind.
    if (window.matchMedia(ONE_PANE).matches) closeThread(api.client);
    void store.load(api.client);
  };
  return (
    <nav className="rail" aria-label="Views">
      <div className="logo" aria-hidden="true">
        S
      </div>
      <ul className="rail-list" role="list">
        {VIEWS.map(([id, icon]) => (
          <li key={id}>
            <button
              type="button"
              className={`rail-button${view === id && !ourNumber ? ' active' : ''}`}
              aria-current={view === id && !ourNumber ? 'page' : undefined}
              aria-label={VIEW_LABELS[id]}
              title={VIEW_LABELS[id]}
              data-testid={`view-${id}`}
              onClick={() => pick(id, null)}
            >
              <Icon name={icon} size={20} />
              {id === 'unread' && unread > 0 && <span className="rail-badge">{unread > 99 ? '99+' : unread}</span>}
            </button>
          </li>
        ))}
      </ul>
      {numbers.length > 1 && (
        <ul className="rail-list numbers" role="list" aria-label="Our numbers">
          {numbers.map((n) => (
            <li key={n.number}>
              <button
                type="button"
                className={`rail-button number${ourNumber === n.number ? ' active' : ''}`}
                title={`Only ${formatPhone(n.number)} (${n.class})`}
                aria-label={`Only ${formatPhone(n.number)}`}
                onClick={() => pick('all', n.number)}
              >
                {n.number.slice(-4)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <span className="grow" />
      <button
        type="button"
        className="rail-button"
        aria-label="Keyboard shortcuts (Ctrl+/)"
        title="Keyboard shortcuts (Ctrl+/)"
        onClick={() => useUiStore.getState().openDialog('shortcuts')}
      >
        <Icon name="keyboard" size={20} />
      </button>
      <button
        type="button"
        className={`rail-button${main === 'settings' ? ' active' : ''}`}
        aria-label="Settings"
        title="Settings (Ctrl+,)"
        data-testid="open-settings"
        onClick={() => useUiStore.getState().showMain(main === 'settings' ? 'conversation' : 'settings')}
      >
        <Icon name="gear" size={20} />
      </button>
    </nav>
  );
}
