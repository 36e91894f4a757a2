import { useAppState } from '../../store';

/** Until a home is set up, the main area says what comes next rather than showing an empty plan. */
export function HomeScreen() {
  const ready = useAppState((s) => s.settingSections.length > 0);
  return (
    <section class="home-screen" data-testid="home-screen">
      {ready ? (
        <div class="empty-state">
          <h1>No home on this panel yet</h1>
          <p>Floor plans, locations and devices appear here once the home is set up.</p>
        </div>
      ) : (
        <div class="empty-state" data-testid="loading">
          <p>Connecting to the hub…</p>
        </div>
      )}
    </section>
  );
}
