using System.Net;
using k8s;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class FinalizerTests
{
    [Fact]
    public async Task Delete_WithFinalizers_MarksTheObject_AndRemovingTheLastFinalizerCompletesIt()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new() { Name = "s", Finalizers = ["wgisolate.io/a", "wgisolate.io/b"] },
        }, "default");
        await using var watch = WatchRecorder<V1Secret>.Start((onError, token) => client.CoreV1.WatchListNamespacedSecretAsync(
            "default", resourceVersion: created.Metadata.ResourceVersion, onError: onError, cancellationToken: token));

        await client.CoreV1.DeleteNamespacedSecretAsync("s", "default");
        var marked = await client.CoreV1.ReadNamespacedSecretAsync("s", "default");
        marked.Metadata.Finalizers = ["wgisolate.io/b"];
        var oneLeft = await client.CoreV1.ReplaceNamespacedSecretAsync(marked, "s", "default");
        oneLeft.Metadata.Finalizers = [];
        await client.CoreV1.ReplaceNamespacedSecretAsync(oneLeft, "s", "default");

        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Equal(marked.Metadata.DeletionTimestamp, oneLeft.Metadata.DeletionTimestamp);
        await ApiAssert.FailsWithAsync(HttpStatusCode.NotFound, () => client.CoreV1.ReadNamespacedSecretAsync("s", "default"));
        Assert.Equal([WatchEventType.Modified, WatchEventType.Modified, WatchEventType.Deleted],
            (await watch.NextAsync(3)).Select(e => e.Type));
    }

    [Fact]
    public async Task ObjectBeingDeleted_RefusesNewFinalizers()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s", Finalizers = ["a"] } }, "default");
        await client.CoreV1.DeleteNamespacedSecretAsync("s", "default");
        var marked = await client.CoreV1.ReadNamespacedSecretAsync("s", "default");

        marked.Metadata.Finalizers = ["a", "b"];
        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity,
            () => client.CoreV1.ReplaceNamespacedSecretAsync(marked, "s", "default"));

        Assert.Equal("metadata.finalizers", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task Delete_WithAStaleResourceVersionPrecondition_Conflicts()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "default");
        created.StringData = new Dictionary<string, string> { ["x"] = "y" };
        created.Metadata.Labels = new Dictionary<string, string> { ["changed"] = "yes" };
        await client.CoreV1.ReplaceNamespacedSecretAsync(created, "s", "default");

        await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict, () => client.CoreV1.DeleteNamespacedSecretAsync("s", "default",
            new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = created.Metadata.ResourceVersion } }));

        Assert.NotNull(await client.CoreV1.ReadNamespacedSecretAsync("s", "default"));
    }
}
