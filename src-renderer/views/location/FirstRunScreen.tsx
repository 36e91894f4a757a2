import { useEffect, useRef, useState } from 'preact/hooks';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { useHubQuery } from '../../components/use-hub-query';
import { PlanUpload } from './PlanUpload';
import { refreshLocations } from './use-plan-data';

/** The starter profile with no plan: it leads on to uploading one rather than to a blank canvas. */
const EMPTY_PROFILE = 'empty';

/** No home yet: choose a starter layout, which everything can be changed from afterwards. */
export function FirstRunScreen() {
  const bridge = useBridge();
  const profiles = useHubQuery('home.profiles.get', {}, null);
  const [settingUp, setSettingUp] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [planStep, setPlanStep] = useState(false);

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

  /** Makes the empty home once the drawing is in, so that a cancelled upload leaves no home behind either. */
  const setUpEmpty = async (): Promise<number> => {
    const [home] = await bridge.invoke('home.setup', { profile: EMPTY_PROFILE });
    if (!home) throw new Error('The hub made no location for the empty home.');
    return home.id;
  };

  const shownError = error ?? profiles.error;
  if (planStep) {
    return (
      <div class="first-run" data-testid="first-run">
        <FloorPlanStep settingUp={settingUp !== null} error={error} onSetUpEmpty={setUpEmpty} onWithoutPlan={() => void choose(EMPTY_PROFILE)} onBack={() => setPlanStep(false)} />
      </div>
    );
  }
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
            onClick={() => (profile.id === EMPTY_PROFILE ? setPlanStep(true) : void choose(profile.id))}
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

interface FloorPlanStepProps {
  settingUp: boolean;
  error: string | null;
  onSetUpEmpty(): Promise<number>;
  onWithoutPlan(): void;
  onBack(): void;
}

/** "Start empty": the home's own drawing first, or a blank canvas that offers the upload later. */
function FloorPlanStep({ settingUp, error, onSetUpEmpty, onWithoutPlan, onBack }: FloorPlanStepProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the new step rather than on the page's start.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="first-run-plan" data-testid="first-run-plan-step" aria-labelledby="first-run-plan-heading">
      <h1 id="first-run-plan-heading" ref={heading} tabIndex={-1}>
        Start with your floor plan
      </h1>
      <p class="muted">
        Upload a drawing of your home as an SVG file, for example exported from a floor-plan app. Devices are then placed on it. You can also start
        without one and add it later.
      </p>
      {error && (
        <p class="field-error" role="alert" data-testid="first-run-error">
          {error}
        </p>
      )}
      <PlanUpload locationId={onSetUpEmpty} label="Upload a floor plan (SVG)…" testIdPrefix="first-run-plan" showRemoved={false} />
      <div class="first-run-plan-actions">
        <button type="button" class="secondary" data-testid="first-run-without-plan" disabled={settingUp} onClick={onWithoutPlan}>
          {settingUp ? 'Setting up…' : 'Start without a plan'}
        </button>
        <button type="button" class="secondary" data-testid="first-run-back" disabled={settingUp} onClick={onBack}>
          Back to the layouts
        </button>
      </div>
    </section>
  );
}
