using System.Net;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WgIsolate.KubeApiDouble.Faults;
using WgIsolate.KubeApiDouble.Http;
using WgIsolate.KubeApiDouble.Schema;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble;

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1 (plain HTTP, random port) for tests: the real KubernetesClient
/// talks to it through the kubeconfig it writes. Start with <see cref="StartAsync"/>, dispose to stop.
/// </summary>
public sealed class KubeApiServerDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly string _directory;

    private KubeApiServerDouble(WebApplication app, CancellationTokenSource stopping, ObjectStore store, KindRegistry kinds,
        FaultInjector faults, RequestLog requests, Uri baseAddress, string directory)
    {
        (_app, _stopping, Store, Kinds, Faults, Requests, BaseAddress, _directory) =
            (app, stopping, store, kinds, faults, requests, baseAddress, directory);
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(KubeconfigPath, Kubeconfig.Render(baseAddress));
    }

    public Uri BaseAddress { get; }

    /// <summary>A kubeconfig whose current context points at this double (namespace "default").</summary>
    public string KubeconfigPath { get; }

    public ObjectStore Store { get; }

    public KindRegistry Kinds { get; }

    public FaultInjector Faults { get; }

    public RequestLog Requests { get; }

    public static async Task<KubeApiServerDouble> StartAsync(KubeApiDoubleOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeApiDoubleOptions();
        var kinds = new KindRegistry();
        foreach (var kind in options.CrdFolders.SelectMany(CrdLoader.LoadFolder))
        {
            kinds.Add(kind);
        }
        var store = new ObjectStore(options.Clock, options.HistoryLimit);
        var faults = new FaultInjector();
        var requests = new RequestLog();
        var stopping = new CancellationTokenSource();
        var handler = new ResourceHandler(store, kinds, faults, requests,
            new WatchStreamer(store, faults, options.BookmarkInterval, stopping.Token));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var directory = Directory.CreateTempSubdirectory("kube-api-double-").FullName;
        return new KubeApiServerDouble(app, stopping, store, kinds, faults, requests, new Uri(address), directory);
    }

    /// <summary>The real client, configured from <see cref="KubeconfigPath"/> exactly as the operator loads one.</summary>
    public Kubernetes CreateClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    public void LoadCrds(string folder)
    {
        foreach (var kind in CrdLoader.LoadFolder(folder))
        {
            Kinds.Add(kind);
        }
    }

    public long CurrentResourceVersion => Store.CurrentResourceVersion;

    public int OpenWatches => Store.OpenWatches;

    /// <inheritdoc cref="ObjectStore.CompactHistory"/>
    public void CompactHistory() => Store.CompactHistory();

    /// <inheritdoc cref="ObjectStore.RestartWithCompactedHistory"/>
    public void RestartWithCompactedHistory() => Store.RestartWithCompactedHistory();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        // Writes held by a freeze would keep the server from stopping.
        Faults.Clear();
        Store.RestartWithCompactedHistory();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
