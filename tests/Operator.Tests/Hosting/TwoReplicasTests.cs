using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Runtime;
using WgIsolate.Operator.Tests.Controllers;
using WgIsolate.Operator.Tests.Scenarios;
using WgIsolate.Operator.Tests.Kube;

namespace WgIsolate.Operator.Tests.Hosting;

/// <summary>
/// Two replicas of the real composition root with leader election over a real Lease (the client's LeaseLock against
/// resourceVersion-checking endpoints): exactly one writes; when it stops, the other takes the Lease over.
/// </summary>
public sealed class TwoReplicasTests : IAsyncLifetime
{
    private static readonly string[] EmptyLists = ["/api/v1/pods", "/api/v1/nodes", "/apis/wgisolate.io/v1alpha1/isolatednodes"];

    private readonly ObjectEndpoints _apps = new();
    private readonly ObjectEndpoints _leases = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackApi? _api;
    private readonly List<OperatorUnderTest> _replicas = [];

    public async Task InitializeAsync()
    {
        _apps.Put("receiver", JsonNode.Parse("""
            {"apiVersion":"wgisolate.io/v1alpha1","kind":"IsolatedApp","metadata":{"name":"receiver","namespace":"demo","uid":"u1","generation":1},
             "spec":{"selector":{"matchLabels":{"app":"receiver"}}}}
            """)!.AsObject());
        _api = await LoopbackApi.StartAsync(server =>
        {
            foreach (var path in EmptyLists) server.MapGet(path, (HttpContext http) => ListOrHold(http, []));
            server.MapGet("/apis/wgisolate.io/v1alpha1/isolatedapps", (HttpContext http) => ListOrHold(http, [_apps["receiver"]!]));
            _apps.Map(server, "/apis/wgisolate.io/v1alpha1/namespaces/demo/isolatedapps");
            _leases.Map(server, "/apis/coordination.k8s.io/v1/namespaces/ops/leases");
            server.MapPost("/api/v1/namespaces/demo/events", async (HttpRequest request) =>
                Results.Text((await JsonNode.ParseAsync(request.Body))!.ToJsonString(), "application/json", statusCode: 201));
        });
    }

    private async Task ListOrHold(HttpContext http, JsonObject[] items)
    {
        if (http.Request.Query["watch"] != "true")
        {
            var list = new JsonObject { ["kind"] = "List", ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["resourceVersion"] = "1" }, ["items"] = new JsonArray(items) };
            await http.Response.WriteAsync(list.ToJsonString());
            return;
        }

        await http.Response.Body.FlushAsync();
        await Task.WhenAny(_release.Task, Task.Delay(Timeout.Infinite, http.RequestAborted));
    }

    private async Task<OperatorUnderTest> Replica(string name)
    {
        var replica = await OperatorUnderTest.StartAsync(_api!.Client.BaseUri,
            ["--Operator:Namespace=ops", "--Operator:LeaseDuration=00:00:03", "--Operator:RenewDeadline=00:00:02", "--Operator:RetryPeriod=00:00:00.200"],
            services =>
            {
                services.AddSingleton<IAppValidator, FakeValidator>();
                services.AddSingleton<IAllocations, FakeAllocations>();
                services.AddSingleton<IMeshPlanner, InstancesOnlyPlanner>();
            },
            token: name);
        _replicas.Add(replica);
        return replica;
    }

    private static async Task WaitFor(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(100);
        }
    }

    private IEnumerable<string?> Writers(Func<string, bool> path) =>
        _api!.Requests.Where(r => r.Method != "GET" && path(r.Path)).Select(r => r.Authorization).Distinct();

    [Fact]
    public async Task TwoReplicas_ExactlyOneWrites_AndTheOtherTakesOverWhenItStops()
    {
        var first = await Replica("replica-1");
        var second = await Replica("replica-2");

        await WaitFor(async () => await first.LeadsAsync() || await second.LeadsAsync(), "a leader");
        var (leader, follower, leaderToken, followerToken) = await first.LeadsAsync()
            ? (first, second, "Bearer replica-1", "Bearer replica-2")
            : (second, first, "Bearer replica-2", "Bearer replica-1");
        await WaitFor(() => Task.FromResult(_apps["receiver"]?["metadata"]?["finalizers"] is not null), "the leader's finalizer on the app");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.False(await follower.LeadsAsync());
        Assert.Equal([leaderToken], Writers(p => !p.Contains("/leases")));
        Assert.Equal("wgisolate.io/cleanup", _apps["receiver"]!["metadata"]!["finalizers"]![0]!.GetValue<string>());

        await leader.DisposeAsync();
        _replicas.Remove(leader);
        await WaitFor(() => follower.LeadsAsync(), "the follower taking over");

        Assert.Contains(followerToken, Writers(p => p.Contains("/leases")));
        var followerIdentity = follower.App.Services.GetRequiredService<LeaderElectionOptions>().Identity;
        Assert.Equal(followerIdentity, _leases["wgisolate-operator"]!["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        foreach (var replica in _replicas) await replica.DisposeAsync();
        if (_api is not null) await _api.DisposeAsync();
    }
}
