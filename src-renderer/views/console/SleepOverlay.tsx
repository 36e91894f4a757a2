import { useEffect } from 'preact/hooks';
import { appStore, useAppState, useSettingValue } from '../../store';

const swallow = (event: Event) => {
  event.preventDefault();
  event.stopPropagation();
};

/**
 * The dim cover of a sleeping panel. It takes the whole waking gesture (down, up and the click after them) and
 * wakes on its end, so the control under the finger never sees it; a key press wakes it too and goes nowhere else.
 */
export function SleepOverlay() {
  const asleep = useAppState((s) => s.asleep);
  const opacity = useSettingValue('console', 'sleep_overlay_opacity');
  useEffect(() => {
    if (!asleep) return;
    const wakeOnKey = (event: KeyboardEvent) => {
      swallow(event);
      appStore.getState().wake();
    };
    window.addEventListener('keydown', wakeOnKey, { capture: true });
    return () => window.removeEventListener('keydown', wakeOnKey, { capture: true });
  }, [asleep]);
  if (!asleep) return null;
  const wake = (event: Event) => {
    swallow(event);
    appStore.getState().wake();
  };
  return (
    <div
      class="sleep-overlay"
      data-testid="sleep-overlay"
      aria-label="Sleeping: tap to wake"
      style={{ opacity: typeof opacity === 'number' ? opacity : 0.9 }}
      onPointerDown={swallow}
      onPointerUp={swallow}
      onMouseDown={swallow}
      onMouseUp={swallow}
      onClick={wake}
      onPointerCancel={wake}
    />
  );
}
