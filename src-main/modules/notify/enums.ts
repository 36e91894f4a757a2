import { defineLabeledEnum, type EnumMember } from '../../../src-shared/enums/labeled-enum';

/** How the connection to the mail server is protected. */
export const SmtpSecurity = defineLabeledEnum(
  'SmtpSecurity',
  {
    NONE: { label: 'None', description: 'Plain text; only for a mail server on this machine or a trusted network.' },
    STARTTLS: { label: 'STARTTLS', description: 'Connects in plain text, then must switch to TLS (usually port 587).' },
    TLS: { label: 'TLS', description: 'TLS from the first byte (usually port 465).' },
  },
  { default: 'STARTTLS' },
);
export type SmtpSecurity = EnumMember<typeof SmtpSecurity>;

/** A mail in the outbox: waiting for its batch window or its next try, or given up. Sent mail leaves the outbox. */
export const OutboxStatus = defineLabeledEnum(
  'OutboxStatus',
  {
    PENDING: { label: 'Pending', description: 'Waiting for its batch window to close or for its next try.' },
    FAILED: { label: 'Failed', description: 'The server refused it until it was too old to send; kept for the record.' },
  },
  { default: 'PENDING' },
);
export type OutboxStatus = EnumMember<typeof OutboxStatus>;
