import { SecurityState } from '../../../src-shared/enums/security';
import { declareSettings } from '../config/setting-declaration';
import { SmtpSecurity } from './enums';

function notifyInSetting<S extends SecurityState>(state: S) {
  return {
    key: `notify_when_${state.value}` as const,
    label: `Mail alerts in ${state.label}`,
    description: `Mail new alerts while the security mode is ${state.label}.`,
    type: 'boolean' as const,
    defaultValue: state === SecurityState.AWAY,
  };
}

export const notifySettings = declareSettings({
  subsystem: 'notify',
  label: 'E-mail',
  description: 'Mail new alerts to the household through your mail server, in the security modes you choose.',
  settings: [
    {
      key: 'enabled',
      label: 'Mail alerts',
      description: 'Turn on once the mail server and the addresses are set and a test e-mail arrived.',
      type: 'boolean',
      defaultValue: false,
    },
    {
      key: 'smtp_host',
      label: 'Mail server',
      description: 'Host name or address of the SMTP server, such as smtp.example.com.',
      type: 'text',
      defaultValue: '',
      maxLength: 253,
    },
    {
      key: 'smtp_port',
      label: 'Port',
      description: 'Usually 587 for STARTTLS, 465 for TLS, 25 for none.',
      type: 'integer',
      defaultValue: 587,
      min: 1,
      max: 65535,
    },
    {
      key: 'smtp_security',
      label: 'Encryption',
      description: 'How the connection to the mail server is protected.',
      type: 'enum',
      defaultValue: SmtpSecurity.default.value,
      options: SmtpSecurity.members.map((m) => ({ value: m.value, label: m.label })),
    },
    {
      key: 'smtp_user',
      label: 'User name',
      description: 'For signing in to the mail server; leave empty if it needs no sign-in.',
      type: 'text',
      defaultValue: '',
      maxLength: 254,
    },
    {
      key: 'smtp_password',
      label: 'Password',
      description: 'Stored encrypted and only sent to the mail server it was saved for: after changing the server, enter it again.',
      type: 'secret',
      defaultValue: '',
      maxLength: 1000,
    },
    {
      key: 'from_address',
      label: 'From',
      description: 'The sender address of the mails, one your mail server lets you send from.',
      type: 'email_address',
      defaultValue: '',
    },
    {
      key: 'recipients',
      label: 'To',
      description: 'Who gets the mails: addresses separated by commas.',
      type: 'email_address_list',
      defaultValue: '',
    },
    notifyInSetting(SecurityState.AWAY),
    notifyInSetting(SecurityState.NIGHT),
    notifyInSetting(SecurityState.DAY),
    notifyInSetting(SecurityState.DISABLED),
    {
      key: 'batch_window_seconds',
      label: 'Gather alerts for (seconds)',
      description: 'The first new alert starts a wait of this long; everything that opens meanwhile goes in the same mail.',
      type: 'integer',
      defaultValue: 60,
      min: 10,
      max: 3600,
    },
  ],
});
