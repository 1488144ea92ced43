/** The Pulumi project name (Pulumi.yaml `name`), and so the namespace of this program's configuration keys. */
export const PROJECT_NAME = "redis-cluster";
