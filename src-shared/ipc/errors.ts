import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import { defineLabeledEnum, type EnumMember } from '../enums/labeled-enum';

export const IpcErrorCode = defineLabeledEnum(
  'IpcErrorCode',
  {
    INVALID_ARGUMENT: { label: 'Invalid argument', description: 'The request did not match its schema or failed validation.' },
    NOT_FOUND: { label: 'Not found', description: 'The channel or the thing asked for does not exist.' },
    CONFLICT: { label: 'Conflict', description: 'The request clashes with the current state.' },
    FORBIDDEN: { label: 'Forbidden', description: 'This panel may not do that (for example, only the hub itself shows the pairing code).' },
    INTERNAL: { label: 'Internal error', description: 'The hub failed; the details are in its log.' },
    UNAVAILABLE: { label: 'Unavailable', description: 'The hub, or the integration the request needs, cannot be reached right now.' },
    RATE_LIMITED: { label: 'Rate limited', description: 'This panel sent more requests than the hub serves at once; try again shortly.' },
    STORAGE_FULL: { label: 'Storage full', description: 'The disk holding the hub\'s database is full; nothing was written.' },
  },
  { default: 'INTERNAL' },
);
export type IpcErrorCode = EnumMember<typeof IpcErrorCode>;

export const ipcIssueSchema = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export type IpcIssue = z.infer<typeof ipcIssueSchema>;

/** Why an upstream (Home Assistant, ...) call failed, so that a panel can say it in its own words. */
export const UPSTREAM_FAILURE_KINDS = ['auth', 'unreachable', 'refused', 'protocol'] as const;
export type UpstreamFailureKind = (typeof UPSTREAM_FAILURE_KINDS)[number];

export const upstreamFailureSchema = z.object({
  kind: z.enum(UPSTREAM_FAILURE_KINDS),
  /** The integration's display name: "Home Assistant". */
  integration: z.string().max(200),
  /** The upstream's own words for a refusal, when it gave any; never a socket code. */
  reason: z.string().max(1_000).nullable(),
});
export type UpstreamFailure = z.infer<typeof upstreamFailureSchema>;

export const ipcErrorSchema = z.object({
  code: enumSchema(IpcErrorCode),
  message: z.string(),
  issues: z.array(ipcIssueSchema).optional(),
  upstream: upstreamFailureSchema.optional(),
});
export type IpcErrorData = z.infer<typeof ipcErrorSchema>;

/** What travels over every transport: a value or a typed error, never a thrown exception. */
export type IpcResponse<T = unknown> = { ok: true; value: T } | { ok: false; error: IpcErrorData };

export class IpcError extends Error {
  readonly code: IpcErrorCode;
  readonly issues: IpcIssue[] | undefined;
  readonly upstream: UpstreamFailure | undefined;

  constructor(code: IpcErrorCode, message: string, issues?: IpcIssue[], upstream?: UpstreamFailure) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.issues = issues;
    this.upstream = upstream;
  }

  toData(): IpcErrorData {
    return { code: this.code.value, message: this.message, ...(this.issues ? { issues: this.issues } : {}), ...(this.upstream ? { upstream: this.upstream } : {}) };
  }

  static fromData(data: IpcErrorData): IpcError {
    return new IpcError(IpcErrorCode.fromNameSafe(data.code), data.message, data.issues, data.upstream);
  }

  static invalidArgument(message: string, issues?: IpcIssue[]): IpcError {
    return new IpcError(IpcErrorCode.INVALID_ARGUMENT, message, issues);
  }

  static notFound(message: string): IpcError {
    return new IpcError(IpcErrorCode.NOT_FOUND, message);
  }

  static conflict(message: string): IpcError {
    return new IpcError(IpcErrorCode.CONFLICT, message);
  }

  static forbidden(message: string): IpcError {
    return new IpcError(IpcErrorCode.FORBIDDEN, message);
  }

  static unavailable(message: string): IpcError {
    return new IpcError(IpcErrorCode.UNAVAILABLE, message);
  }

  static rateLimited(message: string): IpcError {
    return new IpcError(IpcErrorCode.RATE_LIMITED, message);
  }

  static storageFull(message: string): IpcError {
    return new IpcError(IpcErrorCode.STORAGE_FULL, message);
  }
}
