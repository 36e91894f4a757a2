import { ConfigPageType, type EnumValue } from '../../../src-shared/enums';
import { ModalDialog } from '../../components/ModalDialog';
import { navigate } from '../../routes';
import { IntegrationsTab } from './IntegrationsTab';
import { SettingsTab } from './SettingsTab';
import { SystemTab } from './SystemTab';
import { TriggersTab } from './TriggersTab';

const TAB_VIEWS: Record<EnumValue<typeof ConfigPageType>, () => preact.JSX.Element> = {
  settings: SettingsTab,
  integrations: IntegrationsTab,
  triggers: TriggersTab,
  system: SystemTab,
};

export function SettingsDialog({ tab }: { tab: EnumValue<typeof ConfigPageType> }) {
  const TabView = TAB_VIEWS[tab];
  const close = () => navigate({ name: 'home' });
  return (
    <ModalDialog className="dialog-backdrop" label="Settings" testId="settings-dialog" onClose={close}>
      <div class="dialog settings-dialog">
        <div class="dialog-header">
          <nav class="tabs" role="tablist">
            {ConfigPageType.members.map((page) => (
              <button
                type="button"
                role="tab"
                key={page.value}
                class={page.value === tab ? 'tab active' : 'tab'}
                aria-selected={page.value === tab}
                title={page.description}
                data-testid={`settings-tab-${page.value}`}
                data-autofocus={page.value === tab ? true : undefined}
                onClick={() => navigate({ name: 'settings', tab: page.value })}
              >
                {page.label}
              </button>
            ))}
          </nav>
          <button type="button" class="icon-button" aria-label="Close settings" data-testid="close-settings" onClick={close}>
            ✕
          </button>
        </div>
        <div class="dialog-body" data-testid={`settings-page-${tab}`}>
          <TabView />
        </div>
      </div>
    </ModalDialog>
  );
}
