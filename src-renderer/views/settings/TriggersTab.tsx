export function TriggersTab() {
  return (
    <div class="empty-state" data-testid="triggers-empty">
      <h2>Triggers</h2>
      <p>No triggers are defined. Alerts for motion while away, smoke, open doors and severe weather will be set up here.</p>
    </div>
  );
}
