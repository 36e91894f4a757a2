import { useEffect, useRef, useState } from 'preact/hooks';
import { useBridge } from '../../bridge-context';
import { navigate, type Route } from '../../routes';
import { appStore, useAppState, useSettingValue } from '../../store';
import { cameraToShow, newAlarms, viewToShow } from './auto-view';
import { BURN_IN_OFFSETS, BURN_IN_PERIOD_MS, nextBurnInStep } from './burn-in';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel'] as const;
/** Touches closer together than this count once: a pinch must not write the store on every event. */
const ACTIVITY_RESOLUTION_MS = 1_000;
/** Inside the sleep window, a waking touch keeps the screen lit this long after the last touch. */
const SCHEDULED_WAKE_MS = 60_000;

/** Every touch, key or wheel on this panel, as `lastTouchAt` (and `lastActivityAt`). */
function useActivityTracking(): void {
  useEffect(() => {
    const note = () => {
      const now = Date.now();
      const { lastTouchAt, noteActivity } = appStore.getState();
      if (now - lastTouchAt >= ACTIVITY_RESOLUTION_MS) noteActivity(now);
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, note, { capture: true, passive: true });
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, note, { capture: true });
    };
  }, []);
}

/** Sleeps after the idle time (shorter inside the sleep window); one timer, re-armed by each touch. */
function useIdleSleep(): void {
  const idleSeconds = useSettingValue('console', 'sleep_after_idle_seconds');
  const scheduled = useAppState((s) => s.consoleStatus?.sleepScheduled ?? false);
  const asleep = useAppState((s) => s.asleep);
  const lastActivityAt = useAppState((s) => s.lastActivityAt);
  const idleMs = typeof idleSeconds === 'number' && idleSeconds > 0 ? idleSeconds * 1000 : null;
  const limitMs = scheduled ? Math.min(idleMs ?? SCHEDULED_WAKE_MS, SCHEDULED_WAKE_MS) : idleMs;
  useEffect(() => {
    if (asleep || limitMs === null) return;
    const timer = setTimeout(() => appStore.getState().fallAsleep(), Math.max(0, lastActivityAt + limitMs - Date.now()));
    return () => clearTimeout(timer);
  }, [asleep, limitMs, lastActivityAt]);
}

/** The schedule turning: sleep at the sleep time (or at once when the panel starts inside the window), wake at the wake time. */
function useSleepSchedule(): void {
  const scheduled = useAppState((s) => s.consoleStatus?.sleepScheduled ?? null);
  const previous = useRef<boolean | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = scheduled;
    if (scheduled === null || scheduled === before) return;
    if (scheduled) appStore.getState().fallAsleep();
    else if (before !== null) appStore.getState().wake();
  }, [scheduled]);
}

/**
 * New alarms: a CRITICAL one wakes the screen; one about an item shows the view with it (and a camera's details, with
 * its live picture) for the auto-view time, then goes back, unless someone touched the panel in that time (before
 * the switch: no switch; after: no return).
 */
function useAlarmResponses(): void {
  const bridge = useBridge();
  const seconds = useSettingValue('console', 'auto_view_seconds');
  const autoViewMs = typeof seconds === 'number' ? seconds * 1000 : 0;
  useEffect(() => {
    let disposed = false;
    let returnTimer: ReturnType<typeof setTimeout> | null = null;
    let shown: { previous: Route | null; viewId: number | null; camera: number | null; at: number } | null = null;

    const goBack = () => {
      returnTimer = null;
      const { route, lastTouchAt, selection, select } = appStore.getState();
      if (shown && lastTouchAt < shown.at) {
        if (shown.camera !== null && selection?.kind === 'entity' && selection.id === shown.camera) select(null);
        const stillShown = shown.viewId !== null && route.name === 'view' && route.locationViewId === shown.viewId;
        if (stillShown && shown.previous) navigate(shown.previous);
      }
      shown = null;
    };

    const show = async (entityIds: number[]) => {
      let refs;
      try {
        refs = await bridge.invoke('console.views.showing', { entityIds: entityIds.slice(0, 100) });
      } catch (error) {
        console.warn('Could not find the views showing the alarmed items', error);
        return;
      }
      const cameras = await bridge.invoke('camera.list', {}).catch((error: unknown) => {
        console.warn('Could not list the cameras to auto-view', error);
        return [];
      });
      const { route, viewData, consoleStatus, asleep } = appStore.getState();
      if (disposed || consoleStatus?.locked || asleep) return;
      const shownViewId = route.name === 'view' ? route.locationViewId : route.name === 'home' ? (viewData?.view.id ?? null) : null;
      const target = viewToShow(refs, entityIds, shownViewId);
      const camera = cameraToShow(entityIds, new Set(cameras.map((c) => c.entityId)));
      if (target === null && camera === null) return;
      // Back to where the panel was before the first switch, however many alarms follow.
      shown = { previous: shown?.previous ?? (target !== null ? route : null), viewId: target ?? shown?.viewId ?? null, camera: camera ?? shown?.camera ?? null, at: Date.now() };
      if (target !== null) navigate({ name: 'view', locationViewId: target });
      if (camera !== null) appStore.getState().select({ kind: 'entity', id: camera });
      if (returnTimer !== null) clearTimeout(returnTimer);
      returnTimer = setTimeout(goBack, autoViewMs);
    };

    const unsubscribe = appStore.subscribe((state, previous) => {
      if (state.alerts === previous.alerts || previous.consoleStatus === null) return;
      const news = newAlarms(previous.alerts, state.alerts);
      if (news.entityIds.length === 0 && !news.critical) return;
      const touchedRecently = Date.now() - state.lastTouchAt < autoViewMs;
      if (news.critical) state.wake();
      if (autoViewMs > 0 && news.entityIds.length > 0 && !touchedRecently && !state.consoleStatus?.locked) void show(news.entityIds);
    });
    return () => {
      disposed = true;
      unsubscribe();
      if (returnTimer !== null) clearTimeout(returnTimer);
    };
  }, [bridge, autoViewMs]);
}

/** The panel's own console duties: activity, idle and scheduled sleep, waking for CRITICAL alarms, auto-view. */
export function ConsoleController() {
  useActivityTracking();
  useIdleSleep();
  useSleepSchedule();
  useAlarmResponses();
  return null;
}

/** Burn-in care: while nobody touches the panel, one step through a few pixel offsets every period; one timer. */
export function useBurnInOffset(): readonly [number, number] {
  const enabled = useSettingValue('console', 'burn_in_shift') !== false;
  const [step, setStep] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => {
      if (Date.now() - appStore.getState().lastTouchAt >= BURN_IN_PERIOD_MS) setStep(nextBurnInStep);
    }, BURN_IN_PERIOD_MS);
    return () => clearInterval(timer);
  }, [enabled]);
  return enabled ? BURN_IN_OFFSETS[step]! : BURN_IN_OFFSETS[0]!;
}
