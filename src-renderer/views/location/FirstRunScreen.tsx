import { useState } from 'preact/hooks';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { useHubQuery } from '../../components/use-hub-query';
import { refreshLocations } from './use-plan-data';

/** No home yet: choose a starter layout, which everything can be changed from afterwards. */
export function FirstRunScreen() {
  const bridge = useBridge();
  const profiles = useHubQuery('home.profiles.get', {}, null);
  const [settingUp, setSettingUp] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const choose = async (profile: string) => {
    setSettingUp(profile);
    setError(null);
    try {
      await bridge.invoke('home.setup', { profile });
      // The hub's home.changed refreshes too; this shows the plan without waiting for it.
      await refreshLocations(bridge);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSettingUp(null);
    }
  };

  const shownError = error ?? profiles.error;
  return (
    <div class="first-run" data-testid="first-run">
      <h1>No home on this panel yet</h1>
      <p class="muted">Choose a starting layout. Rooms, floors and devices can all be renamed, redrawn and added to afterwards.</p>
      {shownError && (
        <p class="field-error" role="alert" data-testid="first-run-error">
          {shownError}
        </p>
      )}
      {profiles.data === null && !profiles.error && <p class="muted">Loading the layouts…</p>}
      <div class="profile-grid">
        {profiles.data?.map((profile) => (
          <button
            type="button"
            key={profile.id}
            class="profile-card"
            data-testid={`profile-${profile.id}`}
            disabled={settingUp !== null}
            onClick={() => void choose(profile.id)}
          >
            <strong class="profile-label">{profile.label}</strong>
            <span class="profile-description">{profile.description}</span>
            {profile.floors.length > 0 && (
              <ul class="profile-floors">
                {profile.floors.map((floor) => (
                  <li key={floor}>{floor}</li>
                ))}
              </ul>
            )}
            {settingUp === profile.id && <span class="profile-busy">Setting up…</span>}
          </button>
        ))}
      </div>
    </div>
  );
}
