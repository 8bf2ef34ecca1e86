using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WgIsolate.Operator.Controllers;
using WgIsolate.Operator.Hosting;
using WgIsolate.Operator.Tests.Controllers;
using WgIsolate.Operator.Tests.Kube;

namespace WgIsolate.Operator.Tests.Hosting;

/// <summary>
/// The composition root as Program runs it (--kubeconfig, configuration, health and metrics endpoints), against
/// loopback endpoints that answer empty lists and hold watches open. The pure ports are test doubles here.
/// </summary>
public sealed class OperatorAppTests : IAsyncLifetime
{
    private static readonly string[] ListPaths =
    [
        "/api/v1/pods", "/api/v1/nodes", "/apis/wgisolate.io/v1alpha1/isolatedapps", "/apis/wgisolate.io/v1alpha1/isolatednodes",
    ];

    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"wgisolate-kubeconfig-{Guid.NewGuid():N}.yaml");
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackApi? _api;
    private WebApplication? _operator;

    public async Task InitializeAsync()
    {
        _api = await LoopbackApi.StartAsync(server =>
        {
            foreach (var path in ListPaths) server.MapGet(path, (HttpContext http) => ListOrHold(http));
        });
        await File.WriteAllTextAsync(_kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: "{_api.Client.BaseUri.ToString().TrimEnd('/')}"
            users:
            - name: test
              user:
                token: test-token
            contexts:
            - name: test
              context:
                cluster: test
                user: test
            current-context: test
            """);
    }

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

    private async Task<HttpClient> StartOperatorAsync()
    {
        _operator = OperatorApp.Build(
            ["--kubeconfig", _kubeconfig, "--urls", "http://127.0.0.1:0", "--Operator:LeaderElection=false", "--Operator:Namespace=ops"],
            services =>
            {
                services.AddSingleton<IAppValidator, FakeValidator>();
                services.AddSingleton<IAllocations, FakeAllocations>();
                services.AddSingleton<IMeshPlanner, RecordingPlanner>();
            });
        await _operator.StartAsync();
        var address = _operator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HttpClient { BaseAddress = new Uri(address) };
    }

    [Fact]
    public async Task Operator_FromKubeconfig_ListsEverythingThenReportsReadyAndLeading()
    {
        using var http = await StartOperatorAsync();

        Assert.Equal(200, (int)(await http.GetAsync("/healthz")).StatusCode);
        for (var attempt = 0; !(await http.GetAsync("/readyz")).IsSuccessStatusCode; attempt++)
        {
            Assert.True(attempt < 200, "/readyz never turned ready");
            await Task.Delay(50);
        }

        var metrics = await http.GetStringAsync("/metrics");

        Assert.Contains("wgisolate_leader_is_leader 1", metrics);
        Assert.Contains("wgisolate_workqueue_depth{name=\"isolatedapp\"} 0", metrics);
        Assert.Contains("wgisolate_workqueue_depth{name=\"mesh\"} 0", metrics);
        Assert.Equal("ops", _operator!.Services.GetRequiredService<OperatorOptions>().Namespace);
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        if (_operator is not null)
        {
            await _operator.StopAsync();
            await _operator.DisposeAsync();
        }

        if (_api is not null) await _api.DisposeAsync();
        File.Delete(_kubeconfig);
    }
}
