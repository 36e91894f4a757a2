import {
  ALERT_SOUNDS,
  DEFAULT_ALERT_SOUND,
  DEFAULT_MUTE_MINUTES,
  MAX_MUTE_MINUTES,
  soundingLevelLabel,
  type SoundingLevel,
} from '../../../src-shared/model/alert-sound';
import { declareSettings } from '../config/setting-declaration';

const DEFAULT_VOLUME: Readonly<Record<SoundingLevel, number>> = { info: 60, warning: 80, critical: 100 };

/** Every sound is offered for every level; those made for the level come first. */
function soundOptions(level: SoundingLevel) {
  const madeFor = ALERT_SOUNDS.filter((s) => s.madeFor === level);
  const others = ALERT_SOUNDS.filter((s) => s.madeFor !== level);
  return [...madeFor, ...others].map((s) => ({ value: s.name, label: s.label }));
}

function soundSetting<L extends SoundingLevel>(level: L) {
  return {
    key: `sound_${level}` as const,
    label: `${soundingLevelLabel(level)} sound`,
    description:
      level === 'critical'
        ? 'Played when a critical alert opens or gathers a new alarm, and again every few seconds until someone acknowledges it.'
        : `Played once when a ${soundingLevelLabel(level).toLowerCase()} alert opens or gathers a new alarm.`,
    type: 'enum' as const,
    defaultValue: DEFAULT_ALERT_SOUND[level],
    options: soundOptions(level),
  };
}

function volumeSetting<L extends SoundingLevel>(level: L) {
  return {
    key: `volume_${level}` as const,
    label: `${soundingLevelLabel(level)} volume`,
    description: `Loudness of the ${soundingLevelLabel(level).toLowerCase()} sound, 0 (silent) to 100 (the panel’s full volume).`,
    type: 'integer' as const,
    defaultValue: DEFAULT_VOLUME[level],
    min: 0,
    max: 100,
  };
}

export const alertSettings = declareSettings({
  subsystem: 'alerts',
  label: 'Alerts',
  description: 'How alerts sound, and when problems with the hub’s own connections become alerts.',
  settings: [
    {
      key: 'health_alarm_delay_seconds',
      label: 'Connection alert after (seconds)',
      description: 'An integration that stays unreachable this long raises an alert; a brief drop that recovers does not.',
      type: 'integer',
      defaultValue: 60,
      min: 0,
      max: 3600,
    },
    soundSetting('info'),
    volumeSetting('info'),
    soundSetting('warning'),
    volumeSetting('warning'),
    soundSetting('critical'),
    volumeSetting('critical'),
    {
      key: 'mute_minutes',
      label: 'Mute lasts (minutes)',
      description: 'The header’s mute silences alert sounds on every panel for this long, then they sound again.',
      type: 'integer',
      defaultValue: DEFAULT_MUTE_MINUTES,
      min: 1,
      max: MAX_MUTE_MINUTES,
    },
  ],
});
