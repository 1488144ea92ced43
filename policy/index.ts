import { PolicyPack } from "@pulumi/policy";
import { rules, stackRules, toPolicy, toStackPolicy } from "./rules";

// Constructing the pack starts its gRPC server, so this file holds nothing else; tests import ./rules instead.
new PolicyPack("redis-cluster-guardrails", {
    description:
        "Secure-by-default guardrails for the redis-cluster program: a sharded, encrypted, authenticated cluster and private compute.",
    enforcementLevel: "mandatory",
    policies: [...rules.map(toPolicy), ...stackRules.map(toStackPolicy)],
});
