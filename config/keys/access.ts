/** Who may talk to the cluster: TLS, how clients authenticate, and where a password rotation stands. */
import { AUTH_MODES, PASSWORD_ROTATION_STEPS } from "../catalog";
import { boolean, choice, integer, refused } from "./declaration";

export const ACCESS_KEYS = {
    /** TLS between clients and nodes; the AUTH token exists only with it (ElastiCache requires that). */
    transitEncryption: boolean({
        default: true,
        description:
            "TLS to the nodes. Users and AUTH tokens need it; false means no authentication at all (authMode must then be unset; warned).",
        warning: (tls) =>
            tls
                ? undefined
                : "transitEncryption: false turns off TLS and the AUTH token; anyone in the cache security group can read and write unauthenticated, in clear text",
        change: {
            label: () => "true → false",
            to: () => ({ transitEncryption: "false" }),
            note: "Below 7.0.5 TLS is fixed at creation (replacement). From 7.0.5 AWS changes it on a running cluster only through `transitEncryptionMode: preferred` (two updates), which the program does not expose. Turning TLS off is also refused by the policy pack.",
        },
        furtherChanges: [
            {
                label: () => "true → false on engine 7.1",
                from: () => ({ engineVersion: "7.1" }),
                to: () => ({ engineVersion: "7.1", transitEncryption: "false" }),
                note: "From 7.0.5 only through `transitEncryptionMode: preferred` first, which the program does not expose.",
            },
        ],
        rehearsal: refused(
            "TLS is switched on a running cluster by ElastiCache's control plane, which a local Redis does not have",
        ),
    }),
    /**
     * How clients authenticate (see `AUTH_MODES`); the settings say `none` when `transitEncryption` is false
     * (ElastiCache takes users and tokens only with TLS).
     */
    authMode: choice({
        allowed: AUTH_MODES,
        default: "rbac",
        description:
            "How clients authenticate. rbac (redis 6.0+, valkey): a user group, the default user off, the function and the operators with their own users and passwords; iam: as rbac, the function's user with IAM tokens (redis 7.0+, valkey 7.2+); token: one AUTH token for every client.",
        change: {
            label: () => "token → rbac",
            from: () => ({ authMode: "token" }),
            to: () => ({ authMode: "rbac" }),
            note: "The user group is attached and the token removed in one ModifyReplicationGroup (authTokenUpdateStrategy DELETE); clients still holding the token are refused until the function update lands. See [§7](#7-moving-a-running-cluster-from-token-to-rbac). `iam` needs redis ≥ 7.0 / valkey ≥ 7.2.",
        },
        rehearsal: "shown",
    }),
    /** The generation of the Redis users' passwords in use (rbac, iam: the operator's; rbac: the function's too). */
    passwordVersion: integer({
        default: 1,
        min: 1,
        max: 9999,
        unit: "",
        description:
            "The generation of the Redis users' passwords in use (rbac, iam), 1-9999. Rotation steps are in docs/changing.md §6.",
        change: {
            label: (s): string => `${s.passwordVersion} → ${s.passwordVersion + 1} (rotation step 3)`,
            from: () => ({ passwordRotation: "use-next" }),
            to: (s): Record<string, string> => ({
                passwordVersion: String(s.passwordVersion + 1),
                passwordRotation: "none",
            }),
            note: "The users keep only the new password (ModifyUser); the old generation's random password is deleted. See [§6](#6-rotating-the-redis-users-passwords).",
        },
        rehearsal: "shown",
    }),
    /** Where a password rotation stands; see `PASSWORD_ROTATION_STEPS`. */
    passwordRotation: choice({
        allowed: PASSWORD_ROTATION_STEPS,
        default: "none",
        description:
            "Password rotation step: none (one password per user), add-next (the next one accepted too), use-next (clients use the next). Then passwordVersion + 1 with none drops the old one.",
        change: {
            label: () => "none → add-next (rotation step 1)",
            to: () => ({ passwordRotation: "add-next" }),
            note: "Each user accepts the next password too (a user holds at most two); clients are untouched until use-next. See [§6](#6-rotating-the-redis-users-passwords).",
        },
        rehearsal: "shown",
    }),
};
