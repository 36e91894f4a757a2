import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  parsed: ParsedMail;
}

export interface SmtpTestServerOptions {
  /** The sign-in the server demands; without it the server takes mail from anyone. */
  credentials?: { user: string; password: string };
}

/** An SMTP reply with its code, as smtp-server sends an error's `responseCode`. */
function smtpReply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

const addressOf = (address: SMTPServerAddress | false): string => (address ? address.address : '');

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package) that parses every mail it takes with mailparser. A mail
 * is recorded before the server answers 250, so once the sender's call resolves the mail is in `received`.
 */
export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  /** While set, every mail is refused at MAIL FROM with this reply. */
  refuseWith: { code: number; text: string } | null = null;
  private readonly waiters = new Set<{ count: number; resolve: () => void }>();

  private constructor(private readonly server: SMTPServer) {}

  static async start(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    const { credentials } = options;
    let instance: SmtpTestServer | null = null;
    const server = new SMTPServer({
      logger: false,
      // No STARTTLS: these tests send in plain text, and the package's built-in certificate is not wanted.
      disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !credentials,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (credentials && auth.username === credentials.user && auth.password === credentials.password) {
          callback(null, { user: auth.username });
        } else {
          callback(smtpReply(535, '5.7.8 Authentication credentials invalid'));
        }
      },
      onMailFrom(_address, _session, callback) {
        const refusal = instance?.refuseWith;
        callback(refusal ? smtpReply(refusal.code, refusal.text) : null);
      },
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            instance?.record({ from: addressOf(session.envelope.mailFrom), to: session.envelope.rcptTo.map((r) => r.address), parsed });
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
    instance = new SmtpTestServer(server);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return instance;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** Resolves once `count` mails have arrived in all, or rejects after `timeoutMs` (a bound, not a measurement). */
  waitForMail(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    if (this.received.length >= count) return Promise.resolve(this.received);
    return new Promise((resolve, reject) => {
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.received);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Expected ${count} mail(s), got ${this.received.length}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private record(mail: ReceivedMail): void {
    this.received.push(mail);
    for (const waiter of [...this.waiters]) {
      if (this.received.length < waiter.count) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }
}
