using System.Text.Json.Nodes;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Tests.Controllers;
using WgIsolate.Operator.Tests.Scenarios;

namespace WgIsolate.Operator.Tests.Chart;

/// <summary>The chart's operator objects as rendered, and its RBAC against every request the operator really makes.</summary>
public sealed class OperatorChartTests
{
    private const string ReleaseNamespace = "ops";

    private static string ChartFolder => Path.Combine(ScenarioCluster.RepositoryRoot(), "charts", "wgisolate");

    private static IReadOnlyList<JsonObject> Render(Action<JsonObject>? values = null) =>
        ChartTemplates.Render(ChartFolder, "wgi", ReleaseNamespace, values);

    private static JsonObject Single(IReadOnlyList<JsonObject> manifests, string kind) => manifests.Single(m => (string?)m["kind"] == kind);

    [Fact]
    public void Render_GivesTheOperatorItsAccountRbacDeploymentAndMetricsService()
    {
        var manifests = Render();

        Assert.Equal(["ClusterRole", "ClusterRoleBinding", "Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"],
            manifests.Select(m => (string)m["kind"]!).Order(StringComparer.Ordinal));
        var deployment = Single(manifests, "Deployment");
        var pod = deployment["spec"]!["template"]!;
        var container = pod["spec"]!["containers"]!.AsArray().Single()!;
        Assert.Equal(2L, (long)deployment["spec"]!["replicas"]!);
        Assert.Contains("--Operator:Namespace=ops", container["args"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("512Mi", (string?)container["resources"]!["limits"]!["memory"]);
        Assert.Equal("wgisolate-operator", (string?)pod["spec"]!["serviceAccountName"]);
        Assert.True(JsonNode.DeepEquals(deployment["spec"]!["selector"]!["matchLabels"], pod["metadata"]!["labels"]));
        Assert.True(JsonNode.DeepEquals(Single(manifests, "Service")["spec"]!["selector"], pod["metadata"]!["labels"]));
        foreach (var binding in manifests.Where(m => ((string)m["kind"]!).EndsWith("Binding", StringComparison.Ordinal)))
        {
            var subject = binding["subjects"]!.AsArray().Single()!;
            Assert.Equal(("ServiceAccount", "wgisolate-operator", ReleaseNamespace), ((string?)subject["kind"], (string?)subject["name"], (string?)subject["namespace"]));
        }
    }

    [Fact]
    public void ClusterPrefixValue_ReachesTheOperatorsConfiguration_EmptyByDefault()
    {
        string? Prefix(IReadOnlyList<JsonObject> manifests) => (string?)Single(manifests, "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!
            .AsArray().Single(e => (string?)e!["name"] == "Operator__ClusterPrefix")!["value"];

        Assert.Equal("", Prefix(Render()));
        Assert.Equal("fd69:2d8e:610a::/48", Prefix(Render(v => v["clusterPrefix"] = "fd69:2d8e:610a::/48")));
    }

    /// <summary>
    /// The operator as it ships, with leader election, preshared keys, agents reporting and an app deleted: every
    /// request it sent must be one the rendered ClusterRole allows, or the Role in its own namespace.
    /// </summary>
    [Fact]
    public async Task Rbac_AllowsEveryRequestTheOperatorMakes()
    {
        await using var cluster = await ScenarioCluster.StartAsync(_ => { });
        await cluster.StopOperatorAsync(cluster.Operator);
        await cluster.StartOperatorAsync(leaderElection: true, token: "chart-service-account");
        await cluster.CreateNodeAsync("node-1", "2001:db8::1");
        await cluster.CreateNodeAsync("node-2", "10.0.0.2");
        await cluster.CreatePodAsync("receiver-0", "receiver", "node-1");
        await cluster.CreatePodAsync("sender-0", "sender", "node-2");
        await cluster.CreateAppAsync("receiver", "sender");
        await cluster.CreateAppAsync("sender", "receiver");
        await cluster.UpdateAppAsync("receiver", a => a.Spec.PresharedKey = true);
        await ScenarioCluster.EventuallyAsync(() => cluster.GetIsolatedNodeAsync("node-2"), n => n.Spec.Interfaces.Count == 1, "sender-0 planned on node-2");
        await cluster.AgentReportsAsync("node-1", new NodeInterfaceStatus { App = TestCache.Ref("receiver"), Instance = "receiver-0", PublicKey = Key(1), Ready = true });
        await cluster.AgentReportsAsync("node-2", new NodeInterfaceStatus { App = TestCache.Ref("sender"), Instance = "sender-0", PublicKey = Key(2), Ready = true });
        await ScenarioCluster.EventuallyAsync(() => cluster.GetIsolatedNodeAsync("node-1"),
            n => n.Spec.Interfaces.SingleOrDefault()?.Peers.SingleOrDefault()?.PresharedKeyRef is not null, "receiver-0 peering with sender-0 with a preshared key");
        await cluster.DeleteAppAsync("sender");
        await ScenarioCluster.EventuallyAsync(() => cluster.GetIsolatedNodeAsync("node-2"), n => n.Spec.Interfaces.Count == 0, "sender-0 removed from node-2");
        await cluster.AgentReportsAsync("node-2");
        await ScenarioCluster.EventuallyAsync(async () => await cluster.GetAppAsync("sender") is null ? "gone" : null, _ => true, "sender deleted");

        var manifests = Render();
        var clusterRules = Rules(Single(manifests, "ClusterRole"));
        var namespaceRules = Rules(Single(manifests, "Role"));
        var requests = cluster.Api.Requests.Entries.Where(r => r.Token == "chart-service-account").ToList();
        var denied = requests
            .Select(r => (Group: GroupOf(r.Resource), r.Resource, r.Verb, r.Namespace))
            .Where(r => !clusterRules.Contains((r.Group, r.Resource, r.Verb)) && !(r.Namespace == ReleaseNamespace && namespaceRules.Contains((r.Group, r.Resource, r.Verb))))
            .Select(r => $"{r.Verb} {r.Group}/{r.Resource} in {r.Namespace ?? "(cluster)"}")
            .Distinct()
            .ToList();

        Assert.Contains(requests, r => r.Resource == "leases");
        Assert.Contains(requests, r => r.Resource == "secrets");
        Assert.Empty(denied);
    }

    private static string Key(byte b) => Convert.ToBase64String(Enumerable.Repeat(b, 32).ToArray());

    private static HashSet<(string Group, string Resource, string Verb)> Rules(JsonObject role) =>
        [.. from rule in role["rules"]!.AsArray()
            from g in rule!["apiGroups"]!.AsArray()
            from r in rule["resources"]!.AsArray()
            from v in rule["verbs"]!.AsArray()
            select ((string)g!, (string)r!, (string)v!)];

    private static string GroupOf(string resource) => resource.Split('/')[0] switch
    {
        "isolatedapps" or "isolatednodes" => ApiGroup.Group,
        "leases" => "coordination.k8s.io",
        "pods" or "nodes" or "configmaps" or "secrets" or "events" => "",
        var other => throw new InvalidOperationException($"the test does not know the API group of {other}"),
    };
}
