using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WgIsolate.Operator.Tests.Kube;

/// <summary>A few scripted API endpoints on loopback and a real KubernetesClient pointed at them.</summary>
internal sealed class LoopbackApi : IAsyncDisposable
{
    private readonly WebApplication _server;

    private readonly List<(string Method, string Path, string? Authorization)> _requests;

    private LoopbackApi(WebApplication server, Kubernetes client, List<(string, string, string?)> requests)
    {
        _server = server;
        Client = client;
        _requests = requests;
    }

    public Kubernetes Client { get; }

    /// <summary>Every request so far: who (the bearer token) did what where.</summary>
    public IReadOnlyList<(string Method, string Path, string? Authorization)> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    public static async Task<LoopbackApi> StartAsync(Action<IEndpointRouteBuilder> routes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = builder.Build();
        var requests = new List<(string, string, string?)>();
        server.Use(async (context, next) =>
        {
            lock (requests) requests.Add((context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.FirstOrDefault()));
            await next(context);
        });
        routes(server);
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackApi(server, new Kubernetes(new KubernetesClientConfiguration { Host = address }), requests);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
