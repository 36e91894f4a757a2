import type { UpstreamHomeConfig } from '../../../src-shared/model/home-config';
import type { IntegrationGateway } from '../../integrations/gateway';
import type { HandlerMap } from '../../ipc/router';

/** The zone and units of every connected integration that reports them, for the settings dialog to offer. */
export async function upstreamHomeConfigs(gateways: readonly IntegrationGateway[]): Promise<UpstreamHomeConfig[]> {
  const answers = await Promise.all(gateways.map(async (gateway) => ({ gateway, home: (await gateway.homeConfig?.()) ?? null })));
  return answers.flatMap(({ gateway, home }) =>
    home && (home.timeZone !== null || home.unitSystem !== null) ? [{ integration: gateway.key, label: gateway.label, ...home }] : [],
  );
}

export function upstreamHomeHandlers(gateways: readonly IntegrationGateway[]): HandlerMap<'console.upstream_home.get'> {
  return { 'console.upstream_home.get': () => upstreamHomeConfigs(gateways) };
}
