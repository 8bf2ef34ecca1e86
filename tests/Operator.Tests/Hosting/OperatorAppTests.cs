using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Hosting;
using WgIsolate.Operator.Tests.Controllers;
using WgIsolate.Operator.Tests.Scenarios;
using WgIsolate.Operator.Tests.Kube;

namespace WgIsolate.Operator.Tests.Hosting;

/// <summary>
/// The composition root against loopback endpoints that answer empty lists and hold watches open. The pure ports
/// are test doubles here.
/// </summary>
public sealed class OperatorAppTests : IAsyncLifetime
{
    private static readonly string[] ListPaths =
    [
        "/api/v1/pods", "/api/v1/nodes", "/apis/wgisolate.io/v1alpha1/isolatedapps", "/apis/wgisolate.io/v1alpha1/isolatednodes",
    ];

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackApi? _api;
    private OperatorUnderTest? _operator;

    public async Task InitializeAsync() =>
        _api = await LoopbackApi.StartAsync(server =>
        {
            foreach (var path in ListPaths) server.MapGet(path, (HttpContext http) => ListOrHold(http));
        });

    private async Task ListOrHold(HttpContext http)
    {
        if (http.Request.Query["watch"] != "true")
        {
            await http.Response.WriteAsync("""{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[]}""");
            return;
        }

        await http.Response.Body.FlushAsync();
        await Task.WhenAny(_release.Task, Task.Delay(Timeout.Infinite, http.RequestAborted));
    }

    [Fact]
    public async Task Operator_FromKubeconfig_ListsEverythingThenReportsReadyAndLeading()
    {
        _operator = await OperatorUnderTest.StartAsync(_api!.Client.BaseUri, ["--Operator:LeaderElection=false", "--Operator:Namespace=ops"], services =>
        {
            services.AddSingleton<IAppValidator, FakeValidator>();
            services.AddSingleton<IAllocations, FakeAllocations>();
            services.AddSingleton<IMeshPlanner, InstancesOnlyPlanner>();
        });

        Assert.Equal(200, (int)(await _operator.Http.GetAsync("/healthz")).StatusCode);
        await _operator.WaitUntilReadyAsync();
        var metrics = await _operator.MetricSamplesAsync();

        Assert.Contains("wgisolate_leader_is_leader 1", metrics);
        Assert.Contains("wgisolate_workqueue_depth{name=\"isolatedapp\"} 0", metrics);
        Assert.Contains("wgisolate_workqueue_depth{name=\"mesh\"} 0", metrics);
        Assert.Equal("ops", _operator.App.Services.GetRequiredService<OperatorOptions>().Namespace);
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        if (_operator is not null) await _operator.DisposeAsync();
        if (_api is not null) await _api.DisposeAsync();
    }
}
