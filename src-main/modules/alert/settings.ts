import { declareSettings } from '../config/setting-declaration';

export const alertSettings = declareSettings({
  subsystem: 'alerts',
  label: 'Alerts',
  description: 'When problems with the hub’s own connections become alerts.',
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
  ],
});
