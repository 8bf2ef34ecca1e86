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

    private LoopbackApi(WebApplication server, Kubernetes client)
    {
        _server = server;
        Client = client;
    }

    public Kubernetes Client { get; }

    public static async Task<LoopbackApi> StartAsync(Action<IEndpointRouteBuilder> routes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = builder.Build();
        routes(server);
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackApi(server, new Kubernetes(new KubernetesClientConfiguration { Host = address }));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
