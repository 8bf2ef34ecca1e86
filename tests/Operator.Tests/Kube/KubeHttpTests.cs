using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WgIsolate.Operator.Kube;

namespace WgIsolate.Operator.Tests.Kube;

/// <summary>The requests the operator makes past the generated calls: same credentials, same timeout, same errors.</summary>
public sealed class KubeHttpTests : IAsyncLifetime
{
    private LoopbackApi? _api;
    private string? _received;

    public async Task InitializeAsync()
    {
        _api = await LoopbackApi.StartAsync(server =>
        {
            server.MapPut("/api/v1/namespaces/ns/configmaps/written", async (HttpContext http) =>
            {
                _received = await new StreamReader(http.Request.Body).ReadToEndAsync();
                await http.Response.WriteAsync("""{"metadata":{"name":"written","resourceVersion":"7"},"data":{"big":"skipped"}}""");
            });
            server.MapPut("/api/v1/namespaces/ns/configmaps/taken", (HttpContext http) =>
                Results.Json(new { kind = "Status", apiVersion = "v1", status = "Failure", reason = "Conflict", code = 409 }, statusCode: 409));
            server.MapPut("/api/v1/namespaces/ns/configmaps/stuck", async (HttpContext http) =>
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }));
        });
    }

    private Kubernetes Client(TimeSpan? timeout = null)
    {
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = _api!.Client.BaseUri.ToString(), AccessToken = "t0ken" });
        if (timeout is { } t) client.HttpClientTimeout = t;
        return client;
    }

    private static V1ConfigMap Map(string name) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns" }, Data = new Dictionary<string, string> { ["allocations"] = "{\"a\":1}" } };

    [Fact]
    public async Task Write_CarriesTheClientsCredentials_AndTheObject_ReadsBackItsMetadata()
    {
        using var client = Client();

        var written = await new KubeHttp(client).WriteAsync(HttpMethod.Put, "api/v1/namespaces/ns/configmaps/written", Map("written"), CancellationToken.None);

        Assert.Equal("7", written.ResourceVersion);
        Assert.Equal("Bearer t0ken", _api!.Requests.Single().Authorization);
        Assert.Equal("{\"a\":1}", (string?)JsonNode.Parse(_received!)!["data"]!["allocations"]);
    }

    [Fact]
    public async Task RefusedWrite_IsAnErrorWithTheStatusCode()
    {
        using var client = Client();

        var e = await Assert.ThrowsAsync<HttpRequestException>(() =>
            new KubeHttp(client).WriteAsync(HttpMethod.Put, "api/v1/namespaces/ns/configmaps/taken", Map("taken"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Conflict, e.StatusCode);
        Assert.True(KubeErrors.IsConflict(e));
    }

    [Fact]
    public async Task StuckWrite_GivesUpAfterTheClientsTimeout()
    {
        using var client = Client(TimeSpan.FromMilliseconds(300));
        // Only so that a write without the timeout fails this test instead of hanging it.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new KubeHttp(client).WriteAsync(HttpMethod.Put, "api/v1/namespaces/ns/configmaps/stuck", Map("stuck"), giveUp.Token));

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        if (_api is not null) await _api.DisposeAsync();
    }
}
