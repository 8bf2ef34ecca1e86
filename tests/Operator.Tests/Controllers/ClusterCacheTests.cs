using k8s;
using k8s.Models;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Tests.Runtime;
using static WgIsolate.Operator.Tests.Controllers.TestCache;

namespace WgIsolate.Operator.Tests.Controllers;

public sealed class ClusterCacheTests
{
    private readonly ClusterCache _cache = Empty();

    [Fact]
    public void InstancesOf_LeavesOutUnscheduledFinishedAndDeletingPods()
    {
        var app = App("receiver");
        _cache.Apps.Cache.Upsert(app);
        _cache.Pods.Cache.Upsert(Pod("running", "receiver", "node-1"));
        var unscheduled = Pod("unscheduled", "receiver", "node-1");
        unscheduled.Spec.NodeName = null;
        var finished = Pod("finished", "receiver", "node-1");
        finished.Status.Phase = "Succeeded";
        var deleting = Pod("deleting", "receiver", "node-1");
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;
        var otherNamespace = Pod("elsewhere", "receiver", "node-1");
        otherNamespace.Metadata.NamespaceProperty = "other";
        foreach (var pod in new[] { unscheduled, finished, deleting, otherNamespace, Pod("sender-0", "sender", "node-1") }) _cache.Pods.Cache.Upsert(pod);

        Assert.Equal(["running"], _cache.InstancesOf(app).Select(p => p.Metadata.Name));
    }

    [Fact]
    public void InstancesOf_MatchesTheWholeSelector_FollowsRelabelledPods_AndSelectorsWithoutMatchLabels()
    {
        var tiered = App("web");
        tiered.Spec.Selector!.MatchLabels["tier"] = "front";
        var byExpression = App("any");
        byExpression.Spec.Selector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["front"] }] };
        var front = Pod("web-0", "web", "node-1");
        front.Metadata.Labels["tier"] = "front";
        _cache.Pods.Cache.Upsert(front);
        _cache.Pods.Cache.Upsert(Pod("web-1", "web", "node-1"));

        Assert.Equal(["web-0"], _cache.InstancesOf(tiered).Select(p => p.Metadata.Name));
        Assert.Equal(["web-0"], _cache.InstancesOf(byExpression).Select(p => p.Metadata.Name));

        var relabelled = Pod("web-0", "other", "node-1");
        relabelled.Metadata.Labels["tier"] = "front";
        _cache.Pods.Cache.Upsert(relabelled);
        Assert.Empty(_cache.InstancesOf(tiered));
        Assert.Equal(["web-0"], _cache.InstancesOf(byExpression).Select(p => p.Metadata.Name));
    }

    [Fact]
    public void AppsSelecting_FindsEveryAppOfThePodsNamespaceWhoseSelectorMatches()
    {
        var both = App("both");
        both.Spec.Selector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "Exists" }] };
        _cache.Apps.Cache.Upsert(App("receiver"));
        _cache.Apps.Cache.Upsert(App("sender"));
        _cache.Apps.Cache.Upsert(both);

        Assert.Equal(["both", "receiver"], _cache.AppsSelecting(Pod("receiver-0", "receiver", "node-1")).Select(a => a.Metadata.Name).Order());
    }

    [Fact]
    public async Task PodsInformer_CachesOnlyTheFieldsReconcilersRead()
    {
        var source = new FakeResourceSource<V1Pod>();
        var full = Pod("receiver-0", "receiver", "node-1");
        full.Metadata.Annotations = new Dictionary<string, string> { ["big"] = new string('x', 10_000) };
        full.Spec.Containers = [new V1Container { Name = "app", Image = "registry/app:1" }];
        full.Status.PodIPs = [new V1PodIP { Ip = "10.1.2.3" }];
        source.Listing = new([full], "5");
        var cache = new ClusterCache(new FakeResourceSource<WgIsolate.Core.Api.V1Alpha1IsolatedApp>(), source, new FakeResourceSource<V1Node>(),
            new FakeResourceSource<WgIsolate.Core.Api.V1Alpha1IsolatedNode>(), new WgIsolate.Operator.Runtime.InformerOptions(), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = cache.Pods.RunAsync(stop.Token);
        var watch = await source.NextWatchAsync();
        var moved = Pod("receiver-0", "receiver", "node-2");
        moved.Metadata.ResourceVersion = "6";
        moved.Metadata.Annotations = new Dictionary<string, string> { ["big"] = "y" };
        watch.Send(WatchEventType.Modified, moved);
        await Eventually.True(() => cache.Pods.LastResourceVersion == "6", "update applied");

        var cached = Assert.Single(cache.Pods.Cache.List());
        Assert.Equal(("receiver-0", "demo", "node-2", "Running", "receiver"),
            (cached.Metadata.Name, cached.Metadata.NamespaceProperty, cached.Spec.NodeName, cached.Status.Phase, cached.Metadata.Labels["app"]));
        Assert.Null(cached.Metadata.Annotations);
        Assert.Null(cached.Status.PodIPs);
        Assert.Equal("receiver-0", Assert.Single(cache.Pods.Cache.ByIndex(ClusterCache.ByNode, "node-2")).Metadata.Name);
        await stop.CancelAsync();
        await run;
    }
}
