/** How the stack is kept: protection, snapshots, log retention, and when changes reach the replication group. */
import { LOG_ENCRYPTIONS, LOG_RETENTION_DAYS, LogEncryption } from "../catalog";
import { boolean, choice, derived, integer, NOT_THE_CLUSTER, refused } from "./declaration";

const otherEncryption = (encryption: LogEncryption): LogEncryption => (encryption === "kms" ? "default" : "kms");

export const UPKEEP_KEYS = {
    /** Protect the replication group from deletion and replacement (`pulumi destroy`, a replacing change). */
    protect: boolean({
        default: false,
        description:
            "Protect the replication group from deletion and replacement, and retain it if the stack is destroyed.",
        change: {
            label: (s): string => `${s.protect} → ${!s.protect}`,
            to: (s): Record<string, string> => ({ protect: String(!s.protect) }),
            note: "A resource option, no AWS call. To replace a protected cluster on purpose: first `protect: false` (or `pulumi state unprotect`), then the change. `finalSnapshot` follows `protect` when unset: before `protect: false` and a destroy, set `finalSnapshot: true` to keep the last snapshot ([§9](#9-a-final-snapshot-on-destroy)).",
        },
        rehearsal: refused(`a Pulumi resource option ${NOT_THE_CLUSTER}`),
    }),
    /** A final snapshot when the replication group is deleted; "" follows `protect` (read by a rule in config/validate.ts). */
    finalSnapshot: derived({
        default: "",
        description:
            "true: ElastiCache takes a snapshot named <stack prefix>-final when the replication group is deleted (pulumi destroy, a replacement); empty follows protect. docs/changing.md section 9 says how to restore from it.",
        change: {
            label: () => "false → true",
            from: () => ({ finalSnapshot: "false" }),
            to: () => ({ finalSnapshot: "true" }),
            note: "State only: the provider reads finalSnapshotIdentifier when it deletes the group, so the `up` that sets it must come before the destroy. A second snapshot of the same name is refused: delete or copy the first. See [§9](#9-a-final-snapshot-on-destroy).",
        },
        rehearsal: refused("the local cluster takes no snapshots"),
    }),
    /** Days of automatic daily snapshots to keep; 0 turns snapshots off. */
    snapshotRetentionDays: integer({
        default: 1,
        min: 0,
        max: 35,
        unit: "days",
        description:
            "Days of automatic daily snapshots to keep, 0-35 (0 = none, warned; snapshots cannot be turned on later by config, see docs/changing.md §1).",
        warning: (days) =>
            days === 0
                ? "snapshotRetentionDays: 0 turns automatic snapshots off, and turning them on later by config fails for cluster " +
                  "mode enabled (the provider sends SnapshottingClusterId, which AWS refuses); keep 1 or more, or see " +
                  "docs/changing.md §1 for the way back"
                : undefined,
        change: {
            label: (s): string => `${s.snapshotRetentionDays} → 14`,
            to: () => ({ snapshotRetentionDays: "14" }),
            note: "From 1 or more. From 0 see the row below.",
        },
        furtherChanges: [
            {
                label: () => "0 → 7 (a stack created with 0)",
                from: () => ({ snapshotRetentionDays: "0" }),
                to: () => ({ snapshotRetentionDays: "7" }),
                note: 'AWS answers "Cannot set snapshotting cluster for cluster mode enabled replication group" when snapshots are turned on for a cluster-mode group created without them. The way out: [below](#turning-snapshots-on-for-a-stack-created-with-0).',
            },
        ],
        rehearsal: refused("the local cluster takes no snapshots"),
    }),
    /** Days CloudWatch keeps the cluster's slow log and the function's logs. */
    logRetentionDays: choice({
        allowed: LOG_RETENTION_DAYS,
        default: 14,
        description:
            "Retention of the slow log and function logs, a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, ...).",
        change: {
            label: () => "→ 30",
            to: () => ({ logRetentionDays: "30" }),
            note: "The log groups' retention.",
        },
        rehearsal: refused(`the log groups' retention ${NOT_THE_CLUSTER}`),
    }),
    /**
     * How the slow log and the function's logs are encrypted; see `LOG_ENCRYPTIONS`. `kms`: one customer-managed key
     * per stack, rotated yearly, usable by CloudWatch Logs for this stack's log groups only ($1 a month).
     */
    logEncryption: choice({
        allowed: LOG_ENCRYPTIONS,
        default: "default",
        description:
            "Encryption of the slow log and function logs: default (CloudWatch Logs' own) or kms (a customer-managed KMS key of the stack's, rotated, usable by CloudWatch Logs for these two log groups only; $1 a month). docs/security.md.",
        change: {
            label: (s): string => `${s.logEncryption} → ${otherEncryption(s.logEncryption)}`,
            to: (s): Record<string, string> => ({ logEncryption: otherEncryption(s.logEncryption) }),
            note: "default → kms: the key is created, then each log group is associated with it in place (AssociateKmsKey; `kms_key_id` is not ForceNew). kms → default: DisassociateKmsKey, and the key is scheduled for deletion (30 days): what was logged under it can no longer be read once it is deleted. See [security](security.md#6-production-posture).",
        },
        rehearsal: refused(`the log groups' encryption ${NOT_THE_CLUSTER}`),
    }),
    /** Replication group modifications at `pulumi up` (true) or in the next maintenance window (false). */
    applyImmediately: boolean({
        default: true,
        description:
            "Apply replication group changes (node type, engine version, parameter group, ...) at pulumi up; false defers them to the maintenance window, and every preview shows them again until then.",
        change: {
            label: (s): string => `${s.applyImmediately} → ${!s.applyImmediately}`,
            to: (s): Record<string, string> => ({ applyImmediately: String(!s.applyImmediately) }),
            note: "Changes only how later modifications are sent. `false`: node type, engine and version changes wait for the maintenance window, and every preview shows them again until then (Read stores the current value).",
        },
        furtherChanges: [
            {
                row: "nodeType",
                label: () => "→ cache.m7g.large with applyImmediately false",
                from: () => ({ applyImmediately: "false" }),
                to: () => ({ applyImmediately: "false", nodeType: "cache.m7g.large" }),
                note: "Pending until the maintenance window; `pulumi up` returns at once and every later preview shows the same update.",
            },
        ],
        rehearsal: refused(
            "it changes only when later modifications are applied, which a local cluster has no window for",
        ),
    }),
};
