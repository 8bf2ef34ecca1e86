using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Tests.Scenarios;

namespace WgIsolate.Operator.Tests.Chart;

/// <summary>The chart's operator objects as rendered, and its RBAC against every request the operator really makes.</summary>
public sealed partial class OperatorChartTests
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

        Assert.Equal(["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "Role", "RoleBinding", "Service", "ServiceAccount"],
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
        await cluster.CreateReceiverAndSenderAsync();
        await cluster.UpdateAppAsync("receiver", a => a.Spec.PresharedKey = true);
        await cluster.PublishReceiverAndSenderKeysAsync();
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

    [Fact]
    public void ServiceMonitor_OnlyWhenAsked_ScrapesTheMetricsService()
    {
        Assert.DoesNotContain(Render(), m => (string?)m["kind"] == "ServiceMonitor");

        var manifests = Render(v => v["metrics"]!["serviceMonitor"]!["enabled"] = true);

        var monitor = Single(manifests, "ServiceMonitor");
        var service = Single(manifests, "Service");
        Assert.True(JsonNode.DeepEquals(monitor["spec"]!["selector"]!["matchLabels"], service["metadata"]!["labels"]));
        Assert.Equal((string?)service["spec"]!["ports"]![0]!["name"], (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
    }

    /// <summary>Every query of the Grafana dashboard names a metric the running operator exports, grouped by labels
    /// it has (or that Prometheus adds to every target).</summary>
    [Fact]
    public async Task Dashboard_QueriesOnlyMetricsAndLabelsTheOperatorExports()
    {
        var dashboardMap = Single(Render(), "ConfigMap");
        Assert.Equal("1", (string?)dashboardMap["metadata"]!["labels"]!["grafana_dashboard"]);
        var dashboard = JsonNode.Parse((string)dashboardMap["data"]!["wgisolate-operator.json"]!)!;
        var queries = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => (string)t!["expr"]!).ToList();

        await using var cluster = await ScenarioCluster.StartAsync(_ => { });
        // One failed status write, so the error counter has a sample with its labels too.
        cluster.Api.Faults.FailWrites("update", "isolatedapps/status", 1);
        await cluster.CreateNodeAsync("node-1", "2001:db8::1");
        await cluster.CreatePodAsync("receiver-0", "receiver", "node-1");
        await cluster.CreateAppAsync("receiver");
        await ScenarioCluster.EventuallyAsync(() => cluster.GetIsolatedNodeAsync("node-1"), n => n.Spec.Interfaces.Count == 1, "receiver-0 planned");
        await ScenarioCluster.EventuallyAsync(() => cluster.GetAppAsync("receiver"), a => a.Status?.Instances.Count == 1, "receiver's status written after the failure");
        var exported = ExportedMetrics(await cluster.Operator.Http.GetStringAsync("/metrics"));

        var problems = new List<string>();
        foreach (var query in queries)
        {
            var metrics = MetricName().Matches(query).Select(m => m.Value).Distinct().ToList();
            problems.AddRange(metrics.Where(m => !exported.ContainsKey(m)).Select(m => $"{query}: no metric {m}"));
            var labels = metrics.Where(exported.ContainsKey).SelectMany(m => exported[m]).Concat(TargetLabels).ToHashSet();
            foreach (Match by in GroupedBy().Matches(query))
            {
                problems.AddRange(by.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Where(l => !labels.Contains(l)).Select(l => $"{query}: no label {l}"));
            }
        }

        Assert.True(queries.Count >= 7, "the dashboard shows reconciles, errors, durations, queue depth, subnets, instances and the leader");
        Assert.Empty(problems);
    }

    // Labels Prometheus puts on every sample of a scraped pod.
    private static readonly string[] TargetLabels = ["pod", "namespace", "instance", "job"];

    /// <summary>Each exported series name (histograms also as _bucket, _sum, _count) with the labels seen on it.</summary>
    private static Dictionary<string, HashSet<string>> ExportedMetrics(string exposition)
    {
        var metrics = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith("# TYPE wgisolate_", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                string[] names = parts[3] == "histogram" ? [$"{parts[2]}_bucket", $"{parts[2]}_sum", $"{parts[2]}_count"] : [parts[2]];
                foreach (var name in names) metrics.TryAdd(name, []);
            }
            else if (line.StartsWith("wgisolate_", StringComparison.Ordinal) && SampleLabels().Match(line) is { Success: true } sample)
            {
                if (!metrics.TryGetValue(sample.Groups[1].Value, out var labels)) metrics[sample.Groups[1].Value] = labels = [];
                labels.UnionWith(LabelName().Matches(sample.Groups[2].Value).Select(m => m.Groups[1].Value));
            }
        }

        return metrics;
    }

    [GeneratedRegex(@"wgisolate_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\bby \(([^)]*)\)")]
    private static partial Regex GroupedBy();

    [GeneratedRegex(@"^(wgisolate_[a-z_]+)\{([^}]*)\}")]
    private static partial Regex SampleLabels();

    [GeneratedRegex(@"([a-z_]+)=""")]
    private static partial Regex LabelName();

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
