import type { IntegrationGateway } from './gateway';

/** Every integration the hub offers; the integration manager creates one row and one running gateway per entry. */
export function createGateways(): IntegrationGateway[] {
  return [];
}
