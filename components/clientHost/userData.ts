/**
 * The client host's first-boot script: a TLS-capable redis-cli, reached over SSM Session Manager.
 * Amazon Linux 2023 packages Redis 6.2 as `redis6` (binary `redis6-cli`, built with TLS); `redis-cli` is linked to it
 * so the commands in docs/deploying.md §1.4 and the stack outputs work as written.
 */
export function clientHostUserData(): string {
    return [
        "#!/bin/bash",
        "set -euxo pipefail",
        "dnf install -y redis6",
        "ln -sf /usr/bin/redis6-cli /usr/local/bin/redis-cli",
        // Fail the boot script loudly (visible in /var/log/cloud-init-output.log) if the build lacks TLS.
        "redis-cli --tls --version",
        "",
    ].join("\n");
}
