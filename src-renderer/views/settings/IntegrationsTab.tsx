export function IntegrationsTab() {
  return (
    <div class="empty-state" data-testid="integrations-empty">
      <h2>Integrations</h2>
      <p>This version of the hub has no integrations to connect yet. Home Assistant, ZoneMinder, HomeBox and weather services will be listed here.</p>
    </div>
  );
}
