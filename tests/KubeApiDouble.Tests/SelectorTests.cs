using k8s;
using k8s.Models;
using WgIsolate.KubeApiDouble.Tests.Support;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class SelectorTests
{
    [Theory]
    [InlineData("app=web", "a,b")]
    [InlineData("app==web,tier!=db", "a")]
    [InlineData("tier in (db, cache)", "b,c")]
    [InlineData("tier notin (db)", "a,c,d")]
    [InlineData("tier", "a,b,c")]
    [InlineData("!tier", "d")]
    [InlineData("app=web,tier in (front,db)", "a,b")]
    public async Task LabelSelector_PicksExactlyTheMatchingPods(string selector, string expected)
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await CreatePod(client, "a", "n1", new() { ["app"] = "web", ["tier"] = "front" });
        await CreatePod(client, "b", "n1", new() { ["app"] = "web", ["tier"] = "db" });
        await CreatePod(client, "c", "n2", new() { ["app"] = "api", ["tier"] = "cache" });
        await CreatePod(client, "d", "n2", new() { ["app"] = "api" });

        var pods = await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: selector);

        Assert.Equal(expected.Split(','), pods.Items.Select(p => p.Metadata.Name).Order());
    }

    [Fact]
    public async Task FieldSelector_OnSpecNodeName_PicksThatNodesPodsAcrossNamespaces()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        await CreatePod(client, "a", "n1", []);
        await CreatePod(client, "b", "n2", []);
        await CreatePod(client, "c", "n1", [], "other");

        var onN1 = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=n1");
        var notN1 = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName!=n1");
        var byName = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.name=c,metadata.namespace=other");

        Assert.Equal(["a", "c"], onN1.Items.Select(p => p.Metadata.Name).Order());
        Assert.Equal(["b"], notN1.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["c"], byName.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task UnsupportedFieldSelector_IsABadRequest()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();

        var status = await ApiAssert.FailsWithAsync(System.Net.HttpStatusCode.BadRequest,
            () => client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "data.k=1"));

        Assert.Contains("data.k", status.Message);
    }

    private static Task<V1Pod> CreatePod(IKubernetes client, string name, string node, Dictionary<string, string> labels, string ns = "default") =>
        client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new() { Name = name, Labels = labels },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, ns);
}
