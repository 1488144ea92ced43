/** The AlertTopic component built alone under mocks: the topic, who may publish, and the optional e-mail subscription. */
import { expect } from "chai";
import { AlertTopic } from "../../../../components/monitoring/alertTopic";
import { evaluateResources } from "../../../../twin/program/evaluateProgram";

describe("AlertTopic (alone under mocks)", function () {
    this.timeout(60_000);

    it("a topic, its publish policy (ElastiCache by AWS:SourceOwner, this account's alarms) and one e-mail subscription", async () => {
        const { resources } = await evaluateResources(
            () => new AlertTopic("a", { email: "oncall@example.com" }),
            "eu-west-1",
        );
        expect(resources.map((resource) => resource.type).sort()).to.deep.equal([
            "aws:sns/topic:Topic",
            "aws:sns/topicPolicy:TopicPolicy",
            "aws:sns/topicSubscription:TopicSubscription",
            "redis-cluster:monitoring:AlertTopic",
        ]);
        const policy = JSON.parse(
            resources.find((resource) => resource.type === "aws:sns/topicPolicy:TopicPolicy")!.inputs.policy,
        );
        expect(policy.Statement.map((statement: { Sid: string }) => statement.Sid)).to.deep.equal([
            "ElastiCacheEvents",
            "CloudWatchAlarmsOfThisAccount",
        ]);
        expect(policy.Statement[0].Condition).to.deep.equal({ StringEquals: { "AWS:SourceOwner": "123456789012" } });
        expect(policy.Statement[1].Condition.ArnLike["aws:SourceArn"]).to.equal(
            "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*",
        );
    });

    it("no subscription without an address", async () => {
        const { resources } = await evaluateResources(() => new AlertTopic("a", {}));
        expect(
            resources.filter((resource) => resource.type === "aws:sns/topicSubscription:TopicSubscription"),
        ).to.deep.equal([]);
    });
});
