using k8s.Models;

namespace WgIsolate.Operator.Tests.Runtime;

internal static class TestObjects
{
    public static V1ConfigMap ConfigMap(string name, string resourceVersion, string? ns = "default", string? node = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            ResourceVersion = resourceVersion,
            Labels = node is null ? null : new Dictionary<string, string> { ["node"] = node },
        },
    };

    public static V1ConfigMap Bookmark(string resourceVersion) => new() { Metadata = new V1ObjectMeta { ResourceVersion = resourceVersion } };
}

internal static class Eventually
{
    /// <summary>Waits (real time, bounded) for work other threads do; the clock the code under test reads stays fake.</summary>
    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(5);
        }
    }
}
