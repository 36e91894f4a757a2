import { DisplayUnits, Theme, WindowMode, type LabeledEnum, type MemberSpec } from '../../../src-shared/enums';
import { declareSettings } from '../config/setting-declaration';

const optionsOf = <S extends Record<string, MemberSpec>>(e: LabeledEnum<S>) => e.members.map((m) => ({ value: m.value, label: m.label }));

export const consoleSettings = declareSettings({
  subsystem: 'console',
  label: 'Console',
  description: 'Where the home is and how the panel looks.',
  settings: [
    {
      key: 'timezone',
      label: 'Time zone',
      description: 'Used for the clock and for switching between day and night.',
      type: 'timezone',
      defaultValue: 'America/Chicago',
    },
    {
      key: 'latitude',
      label: 'Latitude',
      description: 'Of the home, for sunrise, sunset and weather.',
      type: 'latitude',
      defaultValue: 30.27,
    },
    {
      key: 'longitude',
      label: 'Longitude',
      description: 'Of the home, for sunrise, sunset and weather.',
      type: 'longitude',
      defaultValue: -97.74,
    },
    {
      key: 'units',
      label: 'Units',
      description: 'How temperatures, distances and rainfall are shown.',
      type: 'enum',
      defaultValue: DisplayUnits.default.value,
      options: optionsOf(DisplayUnits),
    },
    {
      key: 'theme',
      label: 'Theme',
      description: 'Colours of the panel.',
      type: 'enum',
      defaultValue: Theme.default.value,
      options: optionsOf(Theme),
    },
    {
      key: 'sleep_overlay_opacity',
      label: 'Sleep overlay opacity',
      description: 'How dark the screen goes when the panel sleeps: 0 is clear, 1 is black.',
      type: 'number',
      defaultValue: 0.9,
      min: 0,
      max: 1,
    },
    {
      key: 'window_mode',
      label: 'Window',
      description: 'How the desktop app shows the panel; takes effect at once.',
      type: 'enum',
      defaultValue: WindowMode.default.value,
      options: optionsOf(WindowMode),
    },
  ],
});
