/**
 * The alarms: whether there are any, who is mailed, and the thresholds. The thresholds' defaults are relative to the
 * node's own capacity (percentages of a core, of `maxmemory`; a fraction of ElastiCache's fixed connection limit), so
 * one set fits the burstable cache.t4g.micro of dev and the cache.r7g.large of prod alike; each description gives the
 * reason for its default.
 */
import type { AlarmThresholds } from "../alarms";
import { ELASTICACHE_MAX_CLIENTS } from "../catalog";
import { boolean, NOT_THE_CLUSTER, refused, text, threshold, ThresholdKey } from "./declaration";

/** One address, no spaces or commas: SNS takes exactly one endpoint per e-mail subscription. */
const EMAIL_ADDRESS = /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$/;

/**
 * An alarm threshold: each change is a `PutMetricAlarm` on the alarms concerned (the alarm name is their only ForceNew
 * input: terraform-provider-aws v6.66.0 internal/service/cloudwatch/metric_alarm.go); the cluster and the function are untouched.
 */
function alarm(
    key: string,
    name: keyof AlarmThresholds,
    limits: { default: number; min: number; max: number; unit: string; description: string },
): ThresholdKey {
    const next = (value: number) => (value < limits.max ? value + 1 : limits.min);
    return threshold({
        ...limits,
        threshold: name,
        change: {
            label: (s): string => `${s.alarmThresholds[name]} → ${next(s.alarmThresholds[name])}`,
            to: (s): Record<string, string> => ({ [key]: String(next(s.alarmThresholds[name])) }),
            note: "PutMetricAlarm on the alarms concerned, in place; the cluster and the function are untouched.",
        },
        rehearsal: refused(`an alarm threshold ${NOT_THE_CLUSTER}`),
    });
}

export const MONITORING_KEYS = {
    /** The alarm topic, the alarms on every node and on the function, and the dashboard; false: none of them. */
    monitoring: boolean({
        default: true,
        description:
            "The alarm topic (SNS) with the replication group's events, alarms on every cache node and on the function, and a CloudWatch dashboard; false creates none of them.",
        change: {
            label: (s): string => `${s.monitoring} → ${!s.monitoring}`,
            to: (s): Record<string, string> => ({ monitoring: String(!s.monitoring) }),
            note: "Creates or deletes the alarm topic, the alarms and the dashboard, and sets or clears the replication group's `notificationTopicArn` (ModifyReplicationGroup). Whether AWS accepts an empty topic ARN when clearing it is not documented: if that update fails, `aws elasticache modify-replication-group --replication-group-id <id> --notification-topic-status inactive --apply-immediately`, then `up` again ([runbook](runbook.md#1-what-monitoring-creates)).",
        },
        rehearsal: refused(`CloudWatch alarms and the dashboard ${NOT_THE_CLUSTER}`),
    }),
    /** The address subscribed to the alarm topic; undefined for no subscription. */
    alarmEmail: text({
        default: "",
        pattern: EMAIL_ADDRESS,
        allowedText: "one e-mail address such as oncall@example.com, or empty for no subscription",
        description:
            "One e-mail address subscribed to the alarm topic (AWS sends a confirmation mail first); empty for no subscription.",
        change: {
            label: () => "→ oncall@example.com",
            to: () => ({ alarmEmail: "oncall@example.com" }),
            note: "Adds, replaces or removes the topic's e-mail subscription; a new address receives SNS's confirmation mail first.",
        },
        rehearsal: refused(`the alarm topic's subscription ${NOT_THE_CLUSTER}`),
    }),
    alarmEngineCpuPercent: alarm("alarmEngineCpuPercent", "engineCpuPercent", {
        default: 90,
        min: 1,
        max: 100,
        unit: "percent",
        description:
            "EngineCPUUtilization alarm per node, 1-100 % of the engine thread's core, held 5 minutes. 90: AWS's guidance; beyond it commands queue behind Redis's single thread, on any node type.",
    }),
    alarmMemoryPercent: alarm("alarmMemoryPercent", "memoryPercent", {
        default: 80,
        min: 1,
        max: 100,
        unit: "percent",
        description:
            "DatabaseMemoryUsagePercentage alarm per node, 1-100 % of maxmemory, held 5 minutes. 80: relative to the node's own maxmemory (any type), and leaves room to scale up or reshard before evictions or OOM errors.",
    }),
    alarmEvictions: alarm("alarmEvictions", "evictions", {
        default: 1,
        min: 1,
        max: 1_000_000_000,
        unit: "evictions in 5 minutes",
        description:
            "Evictions alarm per node, keys evicted in 5 minutes, at least 1. 1: this cluster holds the function's writes, not a disposable cache, so one eviction is lost data.",
    }),
    alarmReplicationLagSeconds: alarm("alarmReplicationLagSeconds", "replicationLagSeconds", {
        default: 10,
        min: 1,
        max: 3600,
        unit: "seconds",
        description:
            "ReplicationLag alarm per node (replicas publish it; primaries stay OK), 1-3600 s held 5 minutes. 10: a healthy replica trails by milliseconds; a failover now would lose that many seconds of writes.",
    }),
    alarmConnections: alarm("alarmConnections", "connections", {
        default: 52_000,
        min: 1,
        max: ELASTICACHE_MAX_CLIENTS,
        unit: `connections (ElastiCache's fixed maxclients is ${ELASTICACHE_MAX_CLIENTS})`,
        description:
            "CurrConnections alarm per node, 1-65000, held 5 minutes. 52000: 80% of ElastiCache's fixed maxclients of 65000 (the same on every node type); new connections are refused at the limit.",
    }),
    alarmFunctionErrors: alarm("alarmFunctionErrors", "functionErrors", {
        default: 1,
        min: 1,
        max: 1_000_000,
        unit: "errors in 5 minutes",
        description:
            "The function's Errors alarm, failed invocations in 5 minutes, at least 1. 1: the handler answers Redis failures itself (503), so any error is a crash or a timeout.",
    }),
    alarmFunctionDurationPercent: alarm("alarmFunctionDurationPercent", "functionDurationPercent", {
        default: 80,
        // Below 10% of a 10 s timeout (1 s) the alarm would fire on an ordinary cold start.
        min: 10,
        max: 100,
        unit: "percent of the function's timeout",
        description:
            "The function's p99 Duration alarm over 5 minutes, 10-100 % of its 10 s timeout. 80: calls at 8 s are about to be killed rather than answered.",
    }),
};
