import { IntegrationHealth } from '../../src-shared/enums';
import type { IntegrationHealthView } from '../../src-shared/model/integration';

/** Health in which "since" tells when contact was lost; paused and off are on purpose, so their last contact says nothing. */
const LOST_CONTACT: ReadonlySet<IntegrationHealth> = new Set([IntegrationHealth.UNREACHABLE, IntegrationHealth.AUTH_FAILED, IntegrationHealth.CONNECTING]);

/**
 * The one wording of an integration's health, from its enum label, for every place that shows it (the header, the
 * detail panel's stale note, the Integrations card): "Home Assistant: Sign-in failed since 14:05".
 */
export function integrationHealthText(label: string, view: IntegrationHealthView, formatTime: (epochMs: number) => string): string {
  const health = IntegrationHealth.fromNameSafe(view.health);
  const since = LOST_CONTACT.has(health) && view.lastSuccessAt !== null ? ` since ${formatTime(view.lastSuccessAt)}` : '';
  return `${label}: ${health.label}${since}`;
}
