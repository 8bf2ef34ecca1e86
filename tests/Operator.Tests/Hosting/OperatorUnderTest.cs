using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using WgIsolate.Operator.Hosting;
using WgIsolate.Operator.Runtime;

namespace WgIsolate.Operator.Tests.Hosting;

/// <summary>
/// The operator as Program runs it (same composition root, --kubeconfig, command-line settings), in-process so a
/// test can start, stop and restart replicas and read their /healthz, /readyz and /metrics.
/// </summary>
internal sealed class OperatorUnderTest : IAsyncDisposable
{
    private readonly string _kubeconfig;

    private OperatorUnderTest(WebApplication app, string kubeconfig, HttpClient http)
    {
        App = app;
        _kubeconfig = kubeconfig;
        Http = http;
    }

    public WebApplication App { get; }
    public HttpClient Http { get; }
    public int ExitCode => App.Services.GetRequiredService<OperatorExit>().Code;

    /// <param name="token">The bearer token this replica sends, so the test can tell replicas' requests apart.</param>
    public static async Task<OperatorUnderTest> StartAsync(Uri apiServer, IEnumerable<string> settings, Action<IServiceCollection>? replace = null,
        string token = "test-token")
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"wgisolate-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig(apiServer, token));
        var app = OperatorApp.Build(["--kubeconfig", kubeconfig, "--urls", "http://127.0.0.1:0", .. settings], replace);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new OperatorUnderTest(app, kubeconfig, new HttpClient { BaseAddress = new Uri(address) });
    }

    /// <summary>The sample lines of /metrics (no HELP/TYPE comments), e.g. "wgisolate_leader_is_leader 1".</summary>
    public async Task<IReadOnlyList<string>> MetricSamplesAsync() =>
        [.. (await Http.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("wgisolate_", StringComparison.Ordinal))];

    public async Task<bool> LeadsAsync() => (await MetricSamplesAsync()).Contains("wgisolate_leader_is_leader 1");

    public async Task WaitUntilReadyAsync()
    {
        for (var attempt = 0; !(await Http.GetAsync("/readyz")).IsSuccessStatusCode; attempt++)
        {
            if (attempt > 200) throw new TimeoutException("/readyz never turned ready");
            await Task.Delay(50);
        }
    }

    private static string Kubeconfig(Uri apiServer, string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: "{apiServer.ToString().TrimEnd('/')}"
        users:
        - name: test
          user:
            token: {token}
        contexts:
        - name: test
          context:
            cluster: test
            user: test
        current-context: test
        """;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        File.Delete(_kubeconfig);
    }
}
