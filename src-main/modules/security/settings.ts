import { declareSettings } from '../config/setting-declaration';

export const securitySettings = declareSettings({
  subsystem: 'security',
  label: 'Security',
  description: 'When Day and Night start, and how long alarms wait after leaving or snoozing.',
  settings: [
    {
      key: 'day_start',
      label: 'Day starts',
      description: 'Night switches to Day at this time, in the home’s time zone (never from Away or Disabled).',
      type: 'time_of_day',
      defaultValue: '07:00',
    },
    {
      key: 'night_start',
      label: 'Night starts',
      description: 'Day switches to Night at this time, in the home’s time zone (never from Away or Disabled).',
      type: 'time_of_day',
      defaultValue: '22:00',
    },
    {
      key: 'away_delay_seconds',
      label: 'Away delay (seconds)',
      description: 'After switching to Away, alarms are held this long so you can leave.',
      type: 'integer',
      defaultValue: 300,
      min: 0,
      max: 3600,
    },
    {
      key: 'snooze_delay_seconds',
      label: 'Snooze (seconds)',
      description: 'How long Snooze holds new alarms.',
      type: 'integer',
      defaultValue: 300,
      min: 0,
      max: 7200,
    },
  ],
});
