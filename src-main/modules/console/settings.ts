import { DisplayUnits, Theme, WindowMode, type LabeledEnum, type MemberSpec } from '../../../src-shared/enums';
import { DisplayScale } from '../../../src-shared/enums/display-scale';
import { declareSettings } from '../config/setting-declaration';
import { systemTimezone } from './home-timezone';

const optionsOf = <S extends Record<string, MemberSpec>>(e: LabeledEnum<S>) => e.members.map((m) => ({ value: m.value, label: m.label }));

export const consoleSettings = declareSettings({
  subsystem: 'console',
  label: 'Console',
  description: 'Where the home is and how the panel looks.',
  settings: [
    {
      key: 'timezone',
      label: 'Time zone',
      description: 'Every time on every screen is shown in it; the day and night switches and the sleep schedule follow it.',
      type: 'timezone',
      // The hub passes its machine's zone (withHomeTimezoneDefault); this is the same zone for code outside a hub.
      defaultValue: systemTimezone(),
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
      description: 'Temperatures are shown in °C (metric) or °F (imperial), whatever unit a device reports in.',
      type: 'enum',
      defaultValue: DisplayUnits.METRIC.value,
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
      key: 'display_scale',
      label: 'Display scale',
      description: 'How large icons, names and values are on the plan; automatic suits the screen’s size.',
      type: 'enum',
      defaultValue: DisplayScale.default.value,
      options: optionsOf(DisplayScale),
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
      key: 'sleep_after_idle_seconds',
      label: 'Sleep after idle (seconds)',
      description: 'The screen dims when nobody has touched it this long; 0 never sleeps for idleness.',
      type: 'integer',
      defaultValue: 600,
      min: 0,
      max: 86400,
    },
    {
      key: 'sleep_on_schedule',
      label: 'Sleep at night',
      description: 'The screen dims from the sleep time to the wake time; a touch wakes it for a while.',
      type: 'boolean',
      defaultValue: false,
    },
    {
      key: 'sleep_at',
      label: 'Sleep time',
      description: 'When the screen dims, in the home’s time zone, if it sleeps at night.',
      type: 'time_of_day',
      defaultValue: '23:00',
    },
    {
      key: 'wake_at',
      label: 'Wake time',
      description: 'When the screen lights up again, in the home’s time zone.',
      type: 'time_of_day',
      defaultValue: '06:30',
    },
    {
      key: 'burn_in_shift',
      label: 'Shift content against burn-in',
      description: 'While nobody touches the panel, its content moves a few pixels every few minutes.',
      type: 'boolean',
      defaultValue: true,
    },
    {
      key: 'auto_view_seconds',
      label: 'Show alarmed items (seconds)',
      description: 'A new alarm about an item shows the view with that item for this long, then the panel goes back; 0 never switches.',
      type: 'integer',
      defaultValue: 30,
      min: 0,
      max: 600,
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
