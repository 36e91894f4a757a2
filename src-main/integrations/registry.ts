import type { Clock } from '../util/clock';
import type { IntegrationGateway } from './gateway';
import { HomeAssistantGateway } from './home_assistant/gateway';
import { ZoneMinderGateway } from './zoneminder/gateway';

/** Every integration the hub offers; the integration manager creates one row and one running gateway per entry. */
export function createGateways(clock: Clock): IntegrationGateway[] {
  return [new HomeAssistantGateway(clock), new ZoneMinderGateway(clock)];
}
